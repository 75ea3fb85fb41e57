import { OnnxError } from './onnx-error.js';

/**
 * Thrown by `exportOnnx` for a model it cannot write: a layer with no ONNX form (a custom layer without a `toOnnx`
 * method), an input shape the layers reject, or an opset outside the supported range. The message names the layer by
 * its index and type.
 */
export class OnnxExportError extends OnnxError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, undefined, options);
    this.name = 'OnnxExportError';
  }
}
