import { formatShape } from '../shape.js';
import { ShapeError } from '../shape-error.js';
import type { Tensor } from '../tensor.js';
import { checkShapeOf, checkTensor, outputFor } from './output.js';
import { placementOf, runner } from './placement.js';

/**
 * Softmax over the last axis, `yᵢⱼ = exp(xᵢⱼ − maxⱼ xᵢ) / Σₖ exp(xᵢₖ − maxⱼ xᵢ)`: each row becomes a probability
 * distribution. Subtracting the row maximum first makes it overflow-free for any finite input.
 * @param out - where to write (may be `x`)
 * @throws {@link ShapeError} when `x` is a scalar
 */
export function softmax(x: Tensor, out?: Tensor): Tensor {
  checkTensor('softmax', 'x', x);
  const cols = x.shape[x.rank - 1];
  if (cols === undefined)
    throw new ShapeError('softmax', `x must have at least one dimension, found ${formatShape(x.shape)}`);
  const at = placementOf('softmax', x, out);
  const y = outputFor('softmax', x.shape, out, at);
  if (cols > 0) runner(at).softmaxRows(x.size / cols, cols, x.data, y.data);
  return y;
}

/**
 * Softmax's gradient over the last axis: with `y = softmax(x)` and `dy = ∂L/∂y`,
 * `∂L/∂x = y ⊙ (dy − Σⱼ dy ⊙ y)` row by row.
 * @param y - the output of the forward pass
 * @param out - where to write `dx` (may be `dy`)
 * @throws {@link ShapeError} when `y`, `dy` and `out` differ in shape
 */
export function softmaxBackward(y: Tensor, dy: Tensor, out?: Tensor): Tensor {
  checkTensor('softmaxBackward', 'y', y);
  checkTensor('softmaxBackward', 'dy', dy);
  checkShapeOf('softmaxBackward', 'dy', dy, y.shape);
  const cols = y.shape[y.rank - 1];
  if (cols === undefined)
    throw new ShapeError('softmaxBackward', `y must have at least one dimension, found ${formatShape(y.shape)}`);
  const at = placementOf('softmaxBackward', y, dy, out);
  const dx = outputFor('softmaxBackward', y.shape, out, at);
  if (cols > 0) runner(at).softmaxRowsBackward(y.size / cols, cols, y.data, dy.data, dx.data);
  return dx;
}
