import { formatShape } from '../shape.js';
import { ShapeError } from '../shape-error.js';
import type { Tensor } from '../tensor.js';
import { checkTensor } from './output.js';
import { placementOf, runner } from './placement.js';

/**
 * Gathers rows of bytes into floats, `out[i, …] = bytes[row indices[i]] / divisor`: how a shuffled mini-batch of 8-bit
 * images becomes a network's input (`divisor` 255 maps pixels to `[0, 1]`). `bytes` holds rows of `rowSize` bytes
 * back to back, where `rowSize` is the size of one row of `out` (`out` is `[indices.length, …]`); the quotient is
 * rounded to float32 exactly, the same on every backend. Writes `out` in place, allocating nothing.
 * @returns `out`
 * @throws {@link ShapeError} when `out` does not have one row per index
 * @throws RangeError for an index that is not a row of `bytes`, or a divisor that is not a finite number
 * @example
 * ```ts
 * const images = new Uint8Array(3 * 4).fill(51); // three 2×2 images
 * const batch = gatherBytes(images, [2, 0], Tensor.zeros([2, 4])); // every value 51/255 = 0.2
 * ```
 */
export function gatherBytes(bytes: Uint8Array, indices: ArrayLike<number>, out: Tensor, divisor = 255): Tensor {
  const op = 'gatherBytes';
  if (!(bytes instanceof Uint8Array)) throw new TypeError(`${op}: bytes must be a Uint8Array, found ${typeof bytes}`);
  checkTensor(op, 'out', out);
  const count = indices.length;
  if (out.rank < 1 || out.shape[0] !== count) {
    throw new ShapeError(op, `out must have one row per index (${count}), found ${formatShape(out.shape)}`);
  }
  if (!Number.isFinite(divisor)) throw new RangeError(`${op}: divisor must be a finite number, found ${divisor}`);
  const rowSize = count === 0 ? 0 : out.size / count;
  const rows = rowSize === 0 ? 0 : Math.floor(bytes.length / rowSize);
  for (let i = 0; i < count; i++) {
    const index = indices[i];
    if (!Number.isInteger(index) || index < 0 || index >= rows) {
      throw new RangeError(`${op}: indices[${i}] must be an integer in [0, ${rows}), found ${index}`);
    }
  }
  runner(placementOf(op, out)).gatherBytes(count, rowSize, indices, bytes, divisor, out.data);
  return out;
}
