import { ShapeError } from '../shape-error.js';
import type { Tensor } from '../tensor.js';
import { checkRank, outputFor, overlaps } from './output.js';
import { placementOf, runner } from './placement.js';

/**
 * The transpose of a 2-D tensor, `out[j, i] = x[i, j]`, as a new contiguous tensor (a copy: tensors are always
 * row-major). Products never need it: {@link gemm} reads transposed operands in place.
 * @throws {@link ShapeError} when `x` is not 2-D, `out` is not `[cols, rows]`, or `out` overlaps `x`
 */
export function transpose(x: Tensor, out?: Tensor): Tensor {
  checkRank('transpose', 'x', x, 2);
  const [rows, cols] = x.shape as [number, number];
  const at = placementOf('transpose', x, out);
  const y = outputFor('transpose', [cols, rows], out, at);
  if (overlaps(x.data, y.data))
    throw new ShapeError('transpose', 'out shares memory with x; transpose cannot run in place');
  runner(at).transpose(rows, cols, x.data, y.data);
  return y;
}
