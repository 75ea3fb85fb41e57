/**
 * Where in an ONNX graph a problem lies: the node (its name, or `#index` when it has none), its operator and the
 * opset the model imports. Absent for problems of the file as a whole.
 */
export interface OnnxLocation {
  /** The node's name, or `#index` (its position in the graph) when it has none. */
  readonly node: string;
  /** The node's operator, such as `Gemm`. */
  readonly opType: string;
  /** The version of the default (`ai.onnx`) operator set the model imports. */
  readonly opset: number;
}

/**
 * The base of every error `@mnist/onnx` throws on purpose: catch this one class to handle any ONNX problem. The
 * subclasses say which kind it is: {@link OnnxFormatError} (bytes that are not a valid ONNX model),
 * {@link UnsupportedOnnxError} (a valid model this library cannot represent) and {@link OnnxExportError} (a model
 * that cannot be written as ONNX).
 */
export class OnnxError extends Error {
  /** The node the problem is at, when it is at one. */
  readonly location: OnnxLocation | undefined;
  /** The file the model was read from, when the problem is with the file itself (`importOnnxFile`). */
  readonly file: string | undefined;

  /**
   * @param message - what is wrong, naming what was expected and what was found
   * @param location - the node the problem is at, if any; it prefixes the message
   * @param options - `cause`: the error behind this one; `file`: the file at fault, which prefixes the message
   */
  constructor(message: string, location?: OnnxLocation, options: { cause?: unknown; file?: string } = {}) {
    const where = [options.file, location && describeLocation(location)].filter((part) => part !== undefined);
    super([...where, message].join(': '), 'cause' in options ? { cause: options.cause } : undefined);
    this.name = 'OnnxError';
    this.location = location;
    this.file = options.file;
  }
}

/** `node '/0/Gemm' (Gemm, opset 13)`. */
export function describeLocation(location: OnnxLocation): string {
  const node = location.node.startsWith('#') ? `node ${location.node}` : `node '${location.node}'`;
  return `${node} (${location.opType}, opset ${location.opset})`;
}
