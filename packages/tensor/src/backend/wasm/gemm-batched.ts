import type { Backend } from '../backend.js';
import { gemmBatchedFrom } from '../js/gemm-batched.js';
import { batchRuns } from './batch-runs.js';
import type { WasmGemmCounters } from './gemm.js';
import { type GemmBatchedJob, runJob } from './runtime/job-table.js';
import type { WasmRuntime } from './runtime/runtime.js';

/**
 * The {@link Backend.gemmBatched} kernel in WebAssembly: the whole batch in one call of the module's `gemm_batched`
 * (one gemm per product, looped in WebAssembly), its products shared out to the worker threads in contiguous runs,
 * each thread with its own scratch. A convolution's batch is 64 products of a few million multiply-adds each, too
 * small for one product to pay for a hand-off to a worker but plenty as a run of them.
 *
 * Products summed into one `C` (a weight gradient over a batch) are always summed in two halves, the second into a
 * scratch block that is then added to `C`, whatever the number of threads, so that the result never depends on it;
 * with a worker the halves run side by side. Where WebAssembly memory cannot hold the whole batch, it falls back to
 * one `gemm` call per product (`perProduct`), each staged on its own, and records that in the runtime's fallbacks.
 */
export function wasmGemmBatched(
  runtime: WasmRuntime,
  gemm: Backend['gemm'],
  counters: WasmGemmCounters,
): Backend['gemmBatched'] {
  const perProduct = gemmBatchedFrom(gemm);
  return (product, alpha, a, b, beta, c) => {
    const { count, transA, transB, m, n, k, lda, ldb, ldc, strideA, strideB, strideC } = product;
    if (count < 2 || m === 0 || n === 0 || k === 0 || Math.fround(alpha) === 0 || zeroInFloat32(beta)) {
      // One product, nothing to multiply, or a β that is 0 in float32: the single gemm's own handling.
      perProduct(product, alpha, a, b, beta, c);
      return;
    }
    const frame = runtime.begin(runtime.placed(a, b, c), runtime.tuning.GEMM_SPLIT_MIN_MACS, count * m * n * k);
    const aMatrix = transA ? (k - 1) * lda + m : (m - 1) * lda + k;
    const bMatrix = transB ? (n - 1) * ldb + k : (k - 1) * ldb + n;
    const aLength = (count - 1) * strideA + aMatrix;
    // The micro-kernel reads 4 rows of op(A) even on the last, partial row tile: keep 3 more rows readable.
    const aAt = frame.input(a, 0, aLength, aLength + (transA ? 3 : 3 * lda));
    const bAt = frame.input(b, 0, (count - 1) * strideB + bMatrix);
    const summed = strideC === 0;
    const cLength = summed ? (m - 1) * ldc + n : (count - 1) * strideC + (m - 1) * ldc + n;
    // Written whole (never read) only where C has no gaps between its rows and products: staged, an output's slot is
    // copied back whole, gaps included.
    const dense = ldc === n && (summed || strideC === m * n);
    const cAt = beta === 0 && dense ? frame.output(c, 0, cLength) : frame.update(c, 0, cLength);
    const partial = summed ? frame.scratch(m * n) : 0;
    if (!frame.commit()) {
      // One product at a time, each staged on its own: it rounds differently (in particular a summed batch, added in
      // order rather than in two halves), so the runtime's fallbacks say so.
      runtime.fallbacks.record('gemmBatched');
      perProduct(product, alpha, a, b, beta, c);
      return;
    }
    counters.calls++;
    const job: GemmBatchedJob = {
      kind: 'gemmBatched',
      count,
      transA: transA ? 1 : 0,
      transB: transB ? 1 : 0,
      m,
      n,
      k,
      alpha,
      a: aAt,
      lda,
      strideA: 4 * strideA,
      b: bAt,
      ldb,
      strideB: 4 * strideB,
      beta,
      c: cAt,
      ldc,
      strideC: 4 * strideC,
      work: runtime.scratchOf(frame, 0),
    };
    const runs = summed ? 2 : Math.min(count, frame.helpers + 1);
    const shares = batchRuns(job, runs, [
      ['a', 'strideA'],
      ['b', 'strideB'],
      ['c', 'strideC'],
    ]);
    // A summed batch's second half goes to the partial sum, added to C at the end.
    if (summed) Object.assign(shares[1] as GemmBatchedJob, { c: partial, ldc: n, beta: 0 });
    if (frame.helpers > 0) {
      // Each run writes its own block of C (or the partial sum); each worker's run gets its own scratch.
      const [own, ...rest] = shares;
      counters.parallelCalls++;
      runtime.run(
        frame,
        own as GemmBatchedJob,
        rest.map((share, i) => ({ ...share, work: runtime.scratchOf(frame, i + 1) })),
      );
    } else {
      for (const share of shares) runJob(frame.exports, share);
    }
    if (summed) frame.exports.add_block(m, n, partial, n, cAt, ldc);
    frame.finish();
    counters.floatsIn += frame.floatsIn;
    counters.floatsOut += frame.floatsOut;
  };
}

/** Whether `x` is not 0 but rounds to 0 as a float32, as the kernel takes it. */
function zeroInFloat32(x: number): boolean {
  return x !== 0 && Math.fround(x) === 0;
}
