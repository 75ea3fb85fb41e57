import type { Backend } from '../backend.js';
import { gemm } from './gemm.js';

/**
 * A `gemmBatched` kernel made of one `gemm` call per product, in order, so a `C` shared by every product (`strideC`
 * 0) accumulates them one after another: the first with the caller's `β`, the rest with `β = 1`. A backend whose gemm
 * is fast but has no batched kernel of its own uses this with its gemm, so a convolution's products keep its speed
 * and its rounding.
 */
export function gemmBatchedFrom(gemm: Backend['gemm']): Backend['gemmBatched'] {
  return (product, alpha, a, b, beta, c) => {
    const { count, transA, transB, m, n, k, lda, ldb, ldc, strideA, strideB, strideC } = product;
    for (let i = 0; i < count; i++) {
      const betaI = strideC === 0 && i > 0 ? 1 : beta;
      gemm(transA, transB, m, n, k, alpha, a, i * strideA, lda, b, i * strideB, ldb, betaI, c, i * strideC, ldc);
    }
  };
}

/** The reference `gemmBatched`: the reference gemm once per product. */
export const gemmBatched: Backend['gemmBatched'] = /* @__PURE__ */ gemmBatchedFrom(gemm);
