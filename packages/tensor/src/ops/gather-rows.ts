import { formatShape } from '../shape.js';
import { ShapeError } from '../shape-error.js';
import type { Tensor } from '../tensor.js';
import { checkTensor, outputFor, overlaps } from './output.js';
import { placementOf, runner } from './placement.js';

/**
 * Picks rows (entries along the first dimension) by index: `out[i] = x[indices[i]]`. This is how a shuffled
 * mini-batch is assembled into a reusable buffer.
 * @param indices - row numbers in `[0, x.shape[0])`, repeats allowed
 * @param out - `[indices.length, ...x.shape.slice(1)]`; allocated when omitted
 * @throws RangeError when an index is out of range; {@link ShapeError} when `x` is a scalar or `out` is wrong
 * @example
 * ```ts
 * declare const images: Tensor; // [60000, 784]
 * const order = new Random(1).shuffle(Int32Array.from({ length: 60000 }, (_, i) => i));
 * const batchBuffer = Tensor.zeros([64, 784]); // reused for every batch
 * const batch = gatherRows(images, order.subarray(0, 64), batchBuffer); // [64, 784]
 * ```
 */
export function gatherRows(x: Tensor, indices: ArrayLike<number>, out?: Tensor): Tensor {
  checkTensor('gatherRows', 'x', x);
  const rows = x.shape[0];
  if (rows === undefined)
    throw new ShapeError('gatherRows', `x must have a first dimension, found ${formatShape(x.shape)}`);
  for (let i = 0; i < indices.length; i++) {
    const index = indices[i];
    if (!Number.isInteger(index) || index < 0 || index >= rows) {
      throw new RangeError(`gatherRows: indices[${i}] must be an integer in [0, ${rows}), found ${index}`);
    }
  }
  const at = placementOf('gatherRows', x, out);
  const y = outputFor('gatherRows', [indices.length, ...x.shape.slice(1)], out, at);
  if (overlaps(x.data, y.data)) throw new ShapeError('gatherRows', 'out shares memory with x');
  const cols = rows === 0 ? 0 : x.size / rows;
  runner(at).gatherRows(indices.length, cols, indices, x.data, y.data);
  return y;
}
