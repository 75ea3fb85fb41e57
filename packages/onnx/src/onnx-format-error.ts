import { OnnxError, type OnnxLocation } from './onnx-error.js';

/**
 * Thrown by `importOnnx` for bytes that are not a valid ONNX model: not protobuf, not a `ModelProto`, a tensor whose
 * data does not match its declared shape, a graph that refers to values nothing produces, or a model past the size
 * limits. The message names the node when the problem is at one.
 */
export class OnnxFormatError extends OnnxError {
  constructor(message: string, location?: OnnxLocation, options?: { cause?: unknown }) {
    super(message, location, options);
    this.name = 'OnnxFormatError';
  }
}
