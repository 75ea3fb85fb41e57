import { OnnxError, type OnnxLocation } from './onnx-error.js';

/**
 * Thrown by `importOnnx` for a valid ONNX model that this library cannot represent: an operator or attribute value
 * with no layer to hold it, a graph that is not a chain, an opset outside the supported range, or a tensor kept in an
 * external file. The message names the node, its operator and the opset, and says what would import.
 */
export class UnsupportedOnnxError extends OnnxError {
  constructor(message: string, location?: OnnxLocation, options?: { cause?: unknown; file?: string }) {
    super(message, location, options);
    this.name = 'UnsupportedOnnxError';
  }
}
