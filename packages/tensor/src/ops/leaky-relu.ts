import type { Tensor } from '../tensor.js';
import { checkOption, checkShapeOf, checkTensor, outputFor } from './output.js';
import { placementOf, runner } from './placement.js';

/**
 * The leaky rectified linear unit, `y = x > 0 ? x : slope·x`, elementwise. `out` may be `x`.
 * @param slope - the gradient for negative inputs, a finite number
 * @throws RangeError when `slope` is not finite
 */
export function leakyRelu(x: Tensor, slope: number, out?: Tensor): Tensor {
  checkTensor('leakyRelu', 'x', x);
  checkOption('leakyRelu', 'slope', slope, Number.isFinite(slope), 'a finite number');
  const at = placementOf('leakyRelu', x, out);
  const y = outputFor('leakyRelu', x.shape, out, at);
  runner(at).leakyRelu(x.size, slope, x.data, y.data);
  return y;
}

/**
 * Leaky ReLU's gradient: `dx = dy ⊙ (x > 0 ? 1 : slope)`, where `x` is the input of the forward pass.
 * @param out - where to write `dx` (may be `dy`)
 * @throws {@link ShapeError} when `x`, `dy` and `out` differ in shape
 * @throws RangeError when `slope` is not finite
 */
export function leakyReluBackward(x: Tensor, dy: Tensor, slope: number, out?: Tensor): Tensor {
  checkTensor('leakyReluBackward', 'x', x);
  checkShapeOf('leakyReluBackward', 'dy', dy, x.shape);
  checkOption('leakyReluBackward', 'slope', slope, Number.isFinite(slope), 'a finite number');
  const at = placementOf('leakyReluBackward', x, dy, out);
  const dx = outputFor('leakyReluBackward', x.shape, out, at);
  runner(at).leakyReluBackward(x.size, slope, x.data, dy.data, dx.data);
  return dx;
}
