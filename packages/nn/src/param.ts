import { Tensor } from '@mnist/tensor';

/**
 * A trainable parameter: its value and the gradient that `backward` accumulates into, of the same shape.
 * Layers name their parameters locally (`weight`, `bias`); a {@link Sequential} prefixes the layer index, as in
 * PyTorch's `state_dict` (`0.weight`).
 */
export interface Param {
  /** The parameter's name: local in a layer (`weight`), qualified in a model (`0.weight`). */
  readonly name: string;
  /** The current value. Optimizers update it in place. */
  readonly value: Tensor;
  /** `∂L/∂value`, accumulated by `backward` until `zeroGrad`. */
  readonly grad: Tensor;
}

/** Creates a parameter with a zero value and a zero gradient of `shape`. */
export function createParam(name: string, shape: readonly number[]): Param {
  // Resident: weights and gradients meet the kernels every step, so they live in the backend's memory if it has one.
  return { name, value: Tensor.resident(shape), grad: Tensor.resident(shape) };
}
