import type { Tensor } from '../tensor.js';
import { checkShapeOf, checkTensor, outputFor } from './output.js';
import { placementOf, runner } from './placement.js';

/** The hyperbolic tangent, `y = tanh(x)`, elementwise. `out` may be `x`. */
export function tanh(x: Tensor, out?: Tensor): Tensor {
  checkTensor('tanh', 'x', x);
  const at = placementOf('tanh', x, out);
  const y = outputFor('tanh', x.shape, out, at);
  runner(at).tanh(x.size, x.data, y.data);
  return y;
}

/**
 * Tanh's gradient from its output: `dx = dy ⊙ (1 − y²)`, where `y = tanh(x)` of the forward pass.
 * @param out - where to write `dx` (may be `dy`)
 * @throws {@link ShapeError} when `y`, `dy` and `out` differ in shape
 */
export function tanhBackward(y: Tensor, dy: Tensor, out?: Tensor): Tensor {
  checkTensor('tanhBackward', 'y', y);
  checkShapeOf('tanhBackward', 'dy', dy, y.shape);
  const at = placementOf('tanhBackward', y, dy, out);
  const dx = outputFor('tanhBackward', y.shape, out, at);
  runner(at).tanhBackward(y.size, y.data, dy.data, dx.data);
  return dx;
}
