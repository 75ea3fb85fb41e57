import type { Sequential } from '@mnist/nn';
import { place } from '../backend.js';
import { type Architecture, buildArchitecture } from './architectures.js';

/** A named parameter or state tensor, as raw values: what the training worker hands the page. */
export interface NamedTensor {
  name: string;
  shape: number[];
  data: Float32Array;
}

/** Every parameter and state tensor of a model (`0.weight`, `1.runningMean`, …), copied out. */
export function tensorsOf(model: Sequential): NamedTensor[] {
  return [...model.params(), ...model.state()].map(({ name, value }) => ({
    name,
    shape: [...value.shape],
    data: Float32Array.from(value.data),
  }));
}

/**
 * Rebuilds a model the worker trained from its architecture and raw tensors. The page does this instead of
 * `loadModel` on the model file for a model it trained itself: no JSON or base64 to decode, just a copy per
 * tensor, so taking over the new model costs the main thread no long task. The values are the same bits the file holds.
 * @throws Error when the tensors do not match the architecture (a bug, not a user's mistake)
 */
export function modelFromTensors(architecture: Architecture, tensors: readonly NamedTensor[]): Sequential {
  const model = place(buildArchitecture(architecture));
  const targets = [...model.params(), ...model.state()];
  if (targets.length !== tensors.length) {
    throw new Error(`modelFromTensors: the ${architecture} has ${targets.length} tensors, found ${tensors.length}`);
  }
  targets.forEach(({ name, value }, i) => {
    const source = tensors[i];
    if (source.name !== name || source.data.length !== value.size) {
      throw new Error(
        `modelFromTensors: expected ${name} of ${value.size} values, found ${source.name} of ${source.data.length}`,
      );
    }
    value.data.set(source.data);
  });
  return model;
}
