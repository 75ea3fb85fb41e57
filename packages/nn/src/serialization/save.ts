import type { Sequential } from '../sequential.js';
import { encodeBase64, encodeFloat32, float32Bytes } from './base64.js';
import { crc32 } from './crc32.js';
import {
  MODEL_FORMAT,
  MODEL_VERSION,
  type ModelFile,
  type SavedLayer,
  type SavedTensor,
  type SavedTraining,
} from './model-file.js';

/** Options of {@link Sequential.save}. */
export interface SaveOptions {
  /** Also save the loss name and the optimizer's config, step count and slots, to resume training. Default `false`. */
  includeOptimizer?: boolean;
}

/** The model as a {@link ModelFile}. @internal */
export function saveModel(model: Sequential, options: SaveOptions): ModelFile {
  const weights: ModelFile['weights'] = {};
  for (const p of model.params()) weights[p.name] = savedTensor(p.value.shape, p.value.data);
  const file: ModelFile = {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    layers: model.config().layers as unknown as SavedLayer[],
    weights,
  };
  const state = model.state();
  if (state.length > 0) {
    // Written only when some layer has state, so files of stateless models are unchanged.
    file.state = {};
    for (const t of state) file.state[t.name] = savedTensor(t.value.shape, t.value.data);
  }
  if (options.includeOptimizer) {
    const { loss, optimizer } = model.compiled('save({ includeOptimizer: true })');
    const state = optimizer.state();
    const slots: SavedTraining['optimizer']['slots'] = {};
    for (const [name, values] of Object.entries(state.slots)) {
      slots[name] = Object.fromEntries(Object.entries(values).map(([slot, data]) => [slot, encodeFloat32(data)]));
    }
    file.training = {
      loss: loss.name,
      random: model.rng.getState(),
      optimizer: { type: optimizer.type, config: optimizer.config(), iterations: state.iterations, slots },
    };
  }
  return file;
}

function savedTensor(shape: readonly number[], values: Float32Array): SavedTensor {
  const bytes = float32Bytes(values);
  return { dtype: 'float32', shape: [...shape], data: encodeBase64(bytes), crc32: crc32(bytes) };
}
