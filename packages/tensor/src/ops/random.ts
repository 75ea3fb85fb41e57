import type { Random } from '../random.js';
import type { Shape } from '../shape.js';
import { Tensor } from '../tensor.js';

/**
 * A tensor of independent normal samples, `N(mean, std²)`, drawn from `rng`.
 * @example
 * ```ts
 * const weight = randomNormal([784, 128], new Random(1), 0, Math.sqrt(1 / 784));
 * ```
 */
export function randomNormal(shape: Shape, rng: Random, mean = 0, std = 1): Tensor {
  const x = Tensor.zeros(shape);
  rng.fillNormal(x.data, mean, std);
  return x;
}

/** A tensor of independent uniform samples in `[low, high)` drawn from `rng`. */
export function randomUniform(shape: Shape, rng: Random, low = 0, high = 1): Tensor {
  const x = Tensor.zeros(shape);
  rng.fillUniform(x.data, low, high);
  return x;
}
