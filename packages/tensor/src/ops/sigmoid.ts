import type { Tensor } from '../tensor.js';
import { checkShapeOf, checkTensor, outputFor } from './output.js';
import { placementOf, runner } from './placement.js';

/** The logistic sigmoid, `y = 1 / (1 + exp(−x))`, elementwise. `out` may be `x`. */
export function sigmoid(x: Tensor, out?: Tensor): Tensor {
  checkTensor('sigmoid', 'x', x);
  const at = placementOf('sigmoid', x, out);
  const y = outputFor('sigmoid', x.shape, out, at);
  runner(at).sigmoid(x.size, x.data, y.data);
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
  const at = placementOf('sigmoidBackward', y, dy, out);
  const dx = outputFor('sigmoidBackward', y.shape, out, at);
  runner(at).sigmoidBackward(y.size, y.data, dy.data, dx.data);
  return dx;
}
