import type { BatchedProduct } from '../backend/backend.js';
import { formatShape, type Shape } from '../shape.js';
import { ShapeError } from '../shape-error.js';
import type { Tensor } from '../tensor.js';
import type { GemmOptions } from './gemm.js';
import { checkTensor, overlaps } from './output.js';
import { placementOf, runner } from './placement.js';

/**
 * A batch of matrix products in one call, into a caller-given `C` (strided batched gemm, as BLAS libraries call it):
 * `C[i] ← α·op(A[i])·op(B[i]) + β·C[i]` for every `i`. An operand of rank 2 is one matrix shared by every product
 * (a weight applied to each image); when `C` has rank 2 the products are summed into it instead,
 * `C ← α·Σᵢ op(A[i])·op(B[i]) + β·C`, in the order of `i` (a weight gradient summed over a batch).
 *
 * Shapes: `A` is `[batch, m, k]` or `[m, k]` (`[…, k, m]` with `transA`), `B` is `[batch, k, n]` or `[k, n]`, `C` is
 * `[batch, m, n]` or `[m, n]`; at least one of `A` and `B` has the batch. `C` must not share memory with `A` or `B`.
 * A convolution is three such calls (see `Conv2D` in `@mnist/nn`).
 * @returns `c`
 * @throws {@link ShapeError} when the shapes do not chain, the batches differ, or `C` overlaps an input
 * @example
 * ```ts
 * const weight = Tensor.zeros([8, 9]); // 8 filters of 3×3 taps
 * const cols = Tensor.zeros([64, 9, 784]); // im2col of 64 one-channel 28×28 images
 * const y = Tensor.zeros([64, 8, 784]);
 * gemmBatched(weight, cols, y); // y[i] = weight·cols[i]
 * ```
 */
export function gemmBatched(a: Tensor, b: Tensor, c: Tensor, options: GemmOptions = {}): Tensor {
  const op = 'gemmBatched';
  const { transA = false, transB = false, alpha = 1, beta = 0 } = options;
  checkTensor(op, 'A', a);
  checkTensor(op, 'B', b);
  checkTensor(op, 'C', c);
  const aBatch = batchOf(op, 'A', a);
  const bBatch = batchOf(op, 'B', b);
  const cBatch = batchOf(op, 'C', c);
  const count = aBatch ?? bBatch;
  if (count === undefined) throw new ShapeError(op, 'A or B must have a batch dimension ([batch, rows, columns])');
  if (aBatch !== undefined && bBatch !== undefined && aBatch !== bBatch) {
    throw new ShapeError(op, `A has a batch of ${aBatch} but B has ${bBatch}`);
  }
  if (cBatch !== undefined && cBatch !== count) {
    throw new ShapeError(op, `C has a batch of ${cBatch} but the products number ${count}`);
  }
  const [m, k] = matrixOf(a, transA);
  const [kb, n] = matrixOf(b, transB);
  if (k !== kb) {
    throw new ShapeError(op, `op(A) is ${formatShape([m, k])} but op(B) is ${formatShape([kb, n])}; ${k} ≠ ${kb}`);
  }
  const [cm, cn] = matrixOf(c, false);
  if (cm !== m || cn !== n) {
    throw new ShapeError(op, `C must hold ${formatShape([m, n])} matrices but has shape ${formatShape(c.shape)}`);
  }
  if (overlaps(c.data, a.data) || overlaps(c.data, b.data)) {
    throw new ShapeError(op, 'C shares memory with A or B; gemmBatched cannot write its output over an input');
  }
  const product: BatchedProduct = {
    count,
    transA,
    transB,
    m,
    n,
    k,
    lda: a.shape[a.rank - 1] as number,
    ldb: b.shape[b.rank - 1] as number,
    ldc: n,
    strideA: aBatch === undefined ? 0 : a.size / count,
    strideB: bBatch === undefined ? 0 : b.size / count,
    strideC: cBatch === undefined ? 0 : c.size / count,
  };
  const kernels = runner(placementOf(op, a, b, c));
  if (count > 0) kernels.gemmBatched(product, alpha, a.data, b.data, beta, c.data);
  else if (cBatch === undefined) {
    // An empty sum: C ← β·C, which as in BLAS writes C without reading it when β is 0.
    if (beta === 0) kernels.fill(c.size, 0, c.data);
    else kernels.scale(c.size, beta, c.data, c.data);
  }
  return c;
}

/** The batch of a rank-3 operand, `undefined` for a shared rank-2 one. */
function batchOf(op: string, name: string, x: Tensor): number | undefined {
  if (x.rank === 2) return undefined;
  if (x.rank === 3) return x.shape[0] as number;
  throw new ShapeError(op, `${name} must be [rows, columns] or [batch, rows, columns], found ${formatShape(x.shape)}`);
}

/** `[rows, columns]` of each matrix of `x`, transposed when `trans`. */
function matrixOf(x: Tensor, trans: boolean): [number, number] {
  const shape: Shape = x.shape;
  const rows = shape[shape.length - 2] as number;
  const cols = shape[shape.length - 1] as number;
  return trans ? [cols, rows] : [rows, cols];
}
