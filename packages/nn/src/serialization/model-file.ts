import type { LayerConfig } from '../layer.js';

/** The `format` tag of a saved {@link Sequential}. */
export const MODEL_FORMAT = 'mnist-ts/sequential';
/**
 * The model file version this library writes, and the only one it reads so far. Fields added to version 1 after its
 * first release (`state`, a tensor's `crc32`) are optional, so every version 1 file written before them still loads.
 */
export const MODEL_VERSION = 1;

/**
 * A saved model, version 1: plain JSON, so `JSON.stringify(model.save())` is the file.
 *
 * ```json
 * {
 *   "format": "mnist-ts/sequential",
 *   "version": 1,
 *   "layers": [{ "type": "Dense", "config": { "inputSize": 784, "outputSize": 128, "initializer": "he", "useBias": true, "l2": 0 } }, …],
 *   "weights": { "0.weight": { "dtype": "float32", "shape": [784, 128], "data": "<base64>", "crc32": "<crc32>" }, … },
 *   "state": { "1.runningMean": { "dtype": "float32", "shape": [128], "data": "<base64>", "crc32": "<crc32>" }, … },
 *   "training": { "loss": "categoricalCrossEntropy", "random": [1, 2, 3, 4], "optimizer": { "type": "Momentum", "config": {…}, "iterations": 938, "slots": { "0.weight": { "velocity": "<base64>" } } } }
 * }
 * ```
 *
 * Every object has exactly the fields shown (those marked optional below may be absent): a reader rejects any other,
 * so a misspelt field is an error rather than a silent default.
 *
 * - `layers` rebuild the architecture: each `type` resolves to a class with `fromConfig` (built-ins, plus the custom
 *   classes passed to `loadModel`).
 * - `weights` hold every parameter by its model name (`<layer index>.<name>`), row-major, as base64 of little-endian
 *   float32 bytes. The shape must equal the rebuilt parameter's shape, and every value must be finite. `crc32` is the
 *   CRC-32 of those bytes, checked on load when present: it catches a damaged file (any one changed character, for
 *   certain), not a deliberate change, since anyone can recompute it.
 * - `state` is optional: layers' non-trainable tensors (running statistics) by model name, like `weights`, written
 *   only when some layer has state, and validated the same way on load.
 * - `training` is optional (`save({ includeOptimizer: true })`): the loss name, the model generator's state and the
 *   optimizer's type, config, step count and per-parameter slots, so training resumes exactly where it stopped.
 */
export interface ModelFile {
  /** Always {@link MODEL_FORMAT}. */
  format: typeof MODEL_FORMAT;
  /** The format version, {@link MODEL_VERSION}. */
  version: typeof MODEL_VERSION;
  /** The layers, in order. */
  layers: SavedLayer[];
  /** Every parameter's values, by model parameter name. */
  weights: Record<string, SavedTensor>;
  /**
   * Every layer's non-trainable state (`Layer.state()`, such as `BatchNorm`'s running statistics) by its model name
   * (`<layer index>.<name>`), in the format of `weights`. Written only when the model has state; a file without it
   * loads as a model with none.
   */
  state?: Record<string, SavedTensor>;
  /** The compiled loss and the optimizer's state, when saved with `includeOptimizer`. */
  training?: SavedTraining;
}

/** A layer in a {@link ModelFile}. */
export interface SavedLayer {
  /** The layer's type key. */
  type: string;
  /** The layer's `config()`. */
  config: LayerConfig;
}

/** A float32 array in a {@link ModelFile}. */
export interface SavedTensor {
  /** Always `float32`. */
  dtype: 'float32';
  /** The dimensions. */
  shape: number[];
  /** Base64 of the little-endian float32 bytes, row-major. */
  data: string;
  /**
   * The CRC-32 (zlib's) of the bytes `data` encodes, as 8 lowercase hexadecimal digits. Written by every save since it
   * was added to version 1; optional on load, where a mismatch is an error naming the tensor.
   */
  crc32?: string;
}

/** The training state in a {@link ModelFile}. */
export interface SavedTraining {
  /** The loss's name, such as `categoricalCrossEntropy`. */
  loss: string;
  /** The model generator's state (four unsigned 32-bit words), so shuffles and dropout continue the same stream. */
  random: number[];
  /** The optimizer. */
  optimizer: {
    /** The optimizer's type, such as `Momentum`. */
    type: string;
    /** Its `config()`: the constructor options, with the learning rate in force when saved. */
    config: LayerConfig;
    /** Steps taken. */
    iterations: number;
    /** Per parameter name, per slot name, base64 float32 values. */
    slots: Record<string, Record<string, string>>;
  };
}
