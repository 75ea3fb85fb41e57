import type { Backend } from '../backend.js';
import { gemm as referenceGemm } from '../js/gemm.js';
import { depthHalves, depthSplit, splitProduct } from './gemm-split.js';
import type { CallFrame } from './runtime/call-frame.js';
import { type GemmJob, runJob } from './runtime/job-table.js';
import type { WasmRuntime } from './runtime/runtime.js';

/** Counters of the wasm-simd gemm's calls and copies, for benchmarks. */
export interface WasmGemmCounters {
  /** Calls so far. */
  calls: number;
  /** Float32 values copied into WebAssembly memory (A, B, and C when β ≠ 0). */
  floatsIn: number;
  /** Float32 values copied back out (C). */
  floatsOut: number;
  /** Calls split over more than one thread. */
  parallelCalls: number;
}

/**
 * The {@link Backend.gemm} kernel in WebAssembly: the module's gemm (4 × 8 register tiles over packed blocks of B, zero
 * skipping; see `wasm/kernels.wat`) wherever its operands are, split over the worker threads when it is large enough
 * (`GEMM_SPLIT_MIN_MACS`), and along its depth when it is deep and narrow (`DEPTH_SPLIT_MIN`). It accumulates in float32;
 * when WebAssembly memory cannot hold its operands it runs on the reference kernel, which rounds differently, and
 * records that in the runtime's fallbacks. `counters` counts the calls and the floats they copy.
 */
export function wasmGemm(runtime: WasmRuntime, counters: WasmGemmCounters): Backend['gemm'] {
  const { tuning } = runtime;
  return (transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc) => {
    // The kernel takes α and β as float32: a value that rounds to 0 there, but is not 0, is left to the reference.
    if (m === 0 || n === 0 || k === 0 || Math.fround(alpha) === 0 || (beta !== 0 && Math.fround(beta) === 0)) {
      // Nothing to multiply: only C ← β·C, which the reference does without reading C when β = 0.
      referenceGemm(transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc);
      return;
    }
    const frame = runtime.begin(runtime.placed(a, b, c), tuning.GEMM_SPLIT_MIN_MACS, m * n * k);
    const aLength = transA ? (k - 1) * lda + m : (m - 1) * lda + k;
    // The micro-kernel reads 4 rows of op(A) even on the last, partial row tile: keep 3 more rows readable.
    const aAt = frame.input(a, aOffset, aLength, aLength + (transA ? 3 : 3 * lda));
    const bAt = frame.input(b, bOffset, transB ? (n - 1) * ldb + k : (k - 1) * ldb + n);
    const cAt = frame.outputMatrix(c, cOffset, m, n, ldc, beta !== 0);
    const depth = depthSplit(m, n, k, tuning);
    const partial = depth > 0 ? frame.scratch(m * n) : 0;
    if (!frame.commit()) {
      // Beyond the memory limit: the reference kernel has no such limit, but rounds differently.
      runtime.fallbacks.record('gemm');
      referenceGemm(transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc);
      return;
    }
    counters.calls++;
    const tA = transA ? 1 : 0;
    const tB = transB ? 1 : 0;
    const work = runtime.scratchOf(frame, 0);
    if (depth === 0 && frame.helpers === 0) {
      // One call on this thread, the common case of small products: no job to describe.
      frame.exports.gemm(tA, tB, m, n, k, alpha, aAt, lda, bAt, ldb, beta, cAt, ldc, work, 0);
    } else {
      const job: GemmJob = {
        kind: 'gemm',
        transA: tA,
        transB: tB,
        m,
        n,
        k,
        alpha,
        a: aAt,
        lda,
        b: bAt,
        ldb,
        beta,
        c: cAt,
        ldc,
        work,
      };
      multiply(runtime, frame, job, depth, partial, counters);
    }
    frame.finish();
    counters.floatsIn += frame.floatsIn;
    counters.floatsOut += frame.floatsOut;
  };
}

/**
 * Runs a laid-out product that is cut: in two halves of its depth (`depth` > 0) added through `partial`, side by side
 * when a worker helps; else into blocks of C over the frame's helpers.
 */
function multiply(
  runtime: WasmRuntime,
  frame: CallFrame,
  job: GemmJob,
  depth: number,
  partial: number,
  counters: WasmGemmCounters,
): void {
  const parallel = frame.helpers > 0;
  if (depth > 0) {
    const [first, second] = depthHalves(job, depth, partial, parallel ? runtime.scratchOf(frame, 1) : job.work);
    if (parallel) {
      counters.parallelCalls++;
      runtime.run(frame, first, [second]);
    } else {
      runJob(frame.exports, first);
      runJob(frame.exports, second);
    }
    frame.exports.add_block(job.m, job.n, partial, job.n, job.c, job.ldc);
  } else {
    const [own, ...shares] = splitProduct(job, frame.helpers + 1, (share) => runtime.scratchOf(frame, share));
    if (shares.length > 0) counters.parallelCalls++;
    runtime.run(frame, own, shares);
  }
}
