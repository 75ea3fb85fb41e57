import type { Tensor } from '../tensor.js';
import { checkShapeOf, checkTensor, outputFor } from './output.js';
import { placementOf, runner } from './placement.js';

/**
 * The Gaussian error linear unit in its tanh approximation (Hendrycks & Gimpel, "Gaussian Error Linear Units", 2016),
 * elementwise: `y = x/2·(1 + tanh(√(2/π)·(x + 0.044715·x³)))`. It differs from the exact `x·Φ(x)` by less than
 * `5·10⁻⁴`; PyTorch calls it `gelu(x, approximate='tanh')`. `out` may be `x`.
 */
export function gelu(x: Tensor, out?: Tensor): Tensor {
  checkTensor('gelu', 'x', x);
  const at = placementOf('gelu', x, out);
  const y = outputFor('gelu', x.shape, out, at);
  runner(at).gelu(x.size, x.data, y.data);
  return y;
}

/**
 * The gradient of {@link gelu}, from the input `x` of the forward pass: with `t = tanh(√(2/π)·(x + 0.044715·x³))`,
 * `dx = dy ⊙ (½·(1 + t) + ½·x·(1 − t²)·√(2/π)·(1 + 3·0.044715·x²))`.
 * @param out - where to write `dx` (may be `dy`)
 * @throws {@link ShapeError} when `x`, `dy` and `out` differ in shape
 */
export function geluBackward(x: Tensor, dy: Tensor, out?: Tensor): Tensor {
  checkTensor('geluBackward', 'x', x);
  checkShapeOf('geluBackward', 'dy', dy, x.shape);
  const at = placementOf('geluBackward', x, dy, out);
  const dx = outputFor('geluBackward', x.shape, out, at);
  runner(at).geluBackward(x.size, x.data, dy.data, dx.data);
  return dx;
}
