import { formatShape } from '../shape.js';
import { ShapeError } from '../shape-error.js';
import type { Tensor } from '../tensor.js';
import { checkRank, outputFor, overlaps } from './output.js';
import { placementOf, runner } from './placement.js';

/** Options of {@link gemm} and {@link matmul}. */
export interface GemmOptions {
  /** Use `Aᵀ` in place of `A`. Default `false`. */
  transA?: boolean;
  /** Use `Bᵀ` in place of `B`. Default `false`. */
  transB?: boolean;
  /** The scale `α` of the product. Default `1`. */
  alpha?: number;
  /** The scale `β` of what `C` held. Default `0`, which overwrites `C` without reading it. */
  beta?: number;
}

/**
 * General matrix multiply into a caller-given `C`: `C ← α·op(A)·op(B) + β·C`, where `op(X)` is `X` or `Xᵀ`.
 *
 * Every product of a dense layer is one call, with no transposed copy:
 * forward `y = x·W` is `gemm(x, W, y)`; the weight gradient `dW += xᵀ·dy` is
 * `gemm(x, dy, dW, { transA: true, beta: 1 })`; the input gradient `dx = dy·Wᵀ` is `gemm(dy, W, dx, { transB: true })`.
 *
 * Shapes: `op(A)` is `[m, k]`, `op(B)` is `[k, n]`, `C` is `[m, n]`. `C` must not share memory with `A` or `B`.
 * @returns `c`
 * @throws {@link ShapeError} when the inner dimensions differ, `C` is not `[m, n]`, or `C` overlaps an input
 * @example
 * ```ts
 * const x = Tensor.fromArray([[1, 2, 3], [4, 5, 6]]);   // [2, 3]
 * const w = Tensor.fromArray([[1, 0], [0, 1], [1, 1]]); // [3, 2]
 * const y = Tensor.zeros([2, 2]);
 * gemm(x, w, y); // y = [[4, 5], [10, 11]]
 * ```
 */
export function gemm(a: Tensor, b: Tensor, c: Tensor, options: GemmOptions = {}): Tensor {
  const { transA = false, transB = false, alpha = 1, beta = 0 } = options;
  const [m, k, n] = productShape('gemm', a, b, transA, transB);
  checkRank('gemm', 'C', c, 2);
  if (c.shape[0] !== m || c.shape[1] !== n) {
    throw new ShapeError(
      'gemm',
      `C must have shape ${formatShape([m, n])} for op(A)·op(B) but has ${formatShape(c.shape)}`,
    );
  }
  if (overlaps(c.data, a.data) || overlaps(c.data, b.data)) {
    throw new ShapeError('gemm', 'C shares memory with A or B; gemm cannot write its output over an input');
  }
  const at = placementOf('gemm', a, b, c);
  runner(at).gemm(transA, transB, m, n, k, alpha, a.data, 0, a.shape[1], b.data, 0, b.shape[1], beta, c.data, 0, n);
  return c;
}

/**
 * Matrix product `op(A)·op(B)` of two 2-D tensors, allocating the result unless `out` is given.
 * @example
 * ```ts
 * declare const dy: Tensor; // [batch, out]
 * declare const weight: Tensor; // [in, out]
 * const dx = matmul(dy, weight, { transB: true }); // [batch, out]·[in, out]ᵀ → [batch, in]
 * ```
 */
export function matmul(
  a: Tensor,
  b: Tensor,
  options: Pick<GemmOptions, 'transA' | 'transB'> = {},
  out?: Tensor,
): Tensor {
  const [m, , n] = productShape('matmul', a, b, options.transA ?? false, options.transB ?? false);
  return gemm(a, b, outputFor('matmul', [m, n], out, placementOf('matmul', a, b, out)), options);
}

/** Checks both operands and returns `[m, k, n]`. */
function productShape(op: string, a: Tensor, b: Tensor, transA: boolean, transB: boolean): [number, number, number] {
  checkRank(op, 'A', a, 2);
  checkRank(op, 'B', b, 2);
  const [ar, ac] = a.shape as [number, number];
  const [br, bc] = b.shape as [number, number];
  const [m, k] = transA ? [ac, ar] : [ar, ac];
  const [kb, n] = transB ? [bc, br] : [br, bc];
  if (k !== kb) {
    throw new ShapeError(
      op,
      `op(A) is ${formatShape([m, k])} (A ${formatShape(a.shape)}${transA ? ' transposed' : ''}) but op(B) is ` +
        `${formatShape([kb, n])} (B ${formatShape(b.shape)}${transB ? ' transposed' : ''}); inner dimensions ${k} and ${kb} differ`,
    );
  }
  return [m, k, n];
}
