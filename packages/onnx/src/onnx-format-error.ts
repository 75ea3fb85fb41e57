import { OnnxError, type OnnxLocation } from './onnx-error.js';

/**
 * Thrown by `importOnnx` for bytes that are not a valid ONNX model: not protobuf, not a `ModelProto`, a tensor whose
 * data does not match its declared shape, a graph that refers to values nothing produces, or a model past the size
 * limits; and by `importOnnxFile` for a path that is not a regular file or a file over its size limit. The message
 * names the node when the problem is at one, the file when it is the file's.
 */
export class OnnxFormatError extends OnnxError {
  /**
   * @param message - what is wrong, naming what was expected and what was found
   * @param location - the node the problem is at, if any
   * @param options - `cause`: the error behind this one; `file`: the file at fault
   */
  constructor(message: string, location?: OnnxLocation, options?: { cause?: unknown; file?: string }) {
    super(message, location, options);
    this.name = 'OnnxFormatError';
  }
}
