import type { Tensor } from '../tensor.js';
import { checkShapeOf, checkTensor, outputFor } from './output.js';
import { placementOf, runner } from './placement.js';

/** The rectified linear unit, `y = max(x, 0)`, elementwise. `out` may be `x`. */
export function relu(x: Tensor, out?: Tensor): Tensor {
  checkTensor('relu', 'x', x);
  const at = placementOf('relu', x, out);
  const y = outputFor('relu', x.shape, out, at);
  runner(at).relu(x.size, x.data, y.data);
  return y;
}

/**
 * ReLU's gradient: `dx = dy ⊙ [x > 0]`, where `x` is the input of the forward pass.
 * @param out - where to write `dx` (may be `dy`)
 * @throws {@link ShapeError} when `x`, `dy` and `out` differ in shape
 */
export function reluBackward(x: Tensor, dy: Tensor, out?: Tensor): Tensor {
  checkTensor('reluBackward', 'x', x);
  checkTensor('reluBackward', 'dy', dy);
  checkShapeOf('reluBackward', 'dy', dy, x.shape);
  const at = placementOf('reluBackward', x, dy, out);
  const dx = outputFor('reluBackward', x.shape, out, at);
  runner(at).reluBackward(x.size, x.data, dy.data, dx.data);
  return dx;
}
