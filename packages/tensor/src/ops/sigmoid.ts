import { getBackend } from '../backend/current.js';
import type { Tensor } from '../tensor.js';
import { checkShapeOf, checkTensor, outputFor } from './output.js';

/** The logistic sigmoid, `y = 1 / (1 + exp(−x))`, elementwise. `out` may be `x`. */
export function sigmoid(x: Tensor, out?: Tensor): Tensor {
  checkTensor('sigmoid', 'x', x);
  const y = outputFor('sigmoid', x.shape, out);
  getBackend().sigmoid(x.size, x.data, y.data);
  return y;
}

/**
 * Sigmoid's gradient from its output: `dx = dy ⊙ y ⊙ (1 − y)`, where `y = sigmoid(x)` of the forward pass.
 * @param out - where to write `dx` (may be `dy`)
 * @throws {@link ShapeError} when `y`, `dy` and `out` differ in shape
 */
export function sigmoidBackward(y: Tensor, dy: Tensor, out?: Tensor): Tensor {
  checkTensor('sigmoidBackward', 'y', y);
  checkShapeOf('sigmoidBackward', 'dy', dy, y.shape);
  const dx = outputFor('sigmoidBackward', y.shape, out);
  getBackend().sigmoidBackward(y.size, y.data, dy.data, dx.data);
  return dx;
}
