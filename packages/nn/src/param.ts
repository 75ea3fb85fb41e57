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

/**
 * Creates a parameter with a zero value and a zero gradient of `shape`, in ordinary memory: a model places its
 * parameters on a backend with `model.to(backend)`.
 */
export function createParam(name: string, shape: readonly number[]): Param {
  return { name, value: Tensor.zeros(shape), grad: Tensor.zeros(shape) };
}
