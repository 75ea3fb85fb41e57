import { gemm as referenceGemm } from '../js/gemm.js';
import { ResidentArena } from './arena.js';
import { KernelInstance, sharedMemorySupported } from './kernels.js';
import { ReferenceFallbacks } from './reference-fallbacks.js';
import { Staging } from './staging.js';
import { CONTROL_BYTES, type GemmJob, runJob, WorkerPool } from './worker-pool.js';

/** Bytes reserved at the start of memory for the workers' control blocks (up to 8 workers). */
const CONTROL_REGION = 8 * CONTROL_BYTES;
/**
 * Products smaller than this many multiply-adds run on one thread; with every operand resident, products from
 * {@link PARALLEL_MIN_MACS_RESIDENT} on are split too. Measured on 2 cores: splitting a 64×64×128 product (the MNIST
 * network's second layer, 2¹⁹ multiply-adds) on resident arrays took a training step from 354–379 µs to 325–341 µs,
 * once the first layer's products had become cheap (zero skipping); staged in the shared memory instead, the same
 * split ran at 27 GFLOP/s against 32 on one thread. The third layer's products (2¹⁵) are far below either.
 */
const PARALLEL_MIN_MACS = 1 << 20;
const PARALLEL_MIN_MACS_RESIDENT = 1 << 19;

/**
 * A product at least this deep, and at least twice as deep as C is tall or wide, is computed as two halves of its depth
 * whose products are added: `C = α·A₀B₀ + β·C`, then `C += α·A₁B₁`. Always, whatever the number of threads, so the
 * rounding never depends on it; with a second thread the halves run side by side. This is the shape of a dense layer's
 * forward pass at training batch sizes (64 × 128 × 784 on MNIST), and halving the depth halves the weight matrix: each
 * thread reads only its half of W, the rows that the same thread's share of the weight gradient (split by rows) and of
 * the momentum update (split into contiguous ranges, one per thread) write. A split of C instead would have both
 * threads read interleaved pieces of all of W, and the cache lines of W would move between the cores every step.
 */
const DEPTH_SPLIT_MIN = 512;

/** The depth of the first half when a product is split along its depth (a multiple of 4), else 0. */
function depthSplit(m: number, n: number, k: number): number {
  return k >= DEPTH_SPLIT_MIN && k >= 2 * m && k >= 2 * n ? Math.round(k / 8) * 4 : 0;
}

const align16 = (bytes: number) => (bytes + 15) & ~15;

/** Options of {@link WasmGemm}. */
export interface WasmGemmOptions {
  /** Threads a large product is split over, the calling one included. 1 runs everything on the caller. */
  threads: number;
}

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
 * The WebAssembly gemm behind the `wasm-simd` backend.
 *
 * Two instances of the module. One runs over a plain memory: operands that live in JavaScript arrays are staged there
 * (a memcpy), multiplied on the calling thread, and C is copied back. The other, wherever shared memory exists, runs
 * over a shared memory that also holds the resident arrays (`Tensor.resident`, see {@link ResidentArena}) and that
 * worker threads see: a product whose operands are all resident runs there in place, with no copy at all, and a large
 * product is split across the workers there. (Copies into a shared memory are slower, about 2.5× here, since engines
 * copy into a SharedArrayBuffer with relaxed atomic stores; so a product that is neither resident nor large is staged
 * in the plain memory.)
 */
export class WasmGemm {
  /** The plain-memory instance; the elementwise kernels share it, above {@link WasmGemm.scratchEnd}. */
  readonly local: KernelInstance;
  /** The shared-memory instance, where shared memory exists. */
  readonly shared: KernelInstance | undefined;
  /** The resident arrays' allocator, in the shared memory. */
  readonly arena: ResidentArena | undefined;
  readonly threads: WorkerPool | undefined;
  /** Why there is no shared instance although this engine supports shared memory, if that happened. */
  readonly sharedFailure: string | undefined;
  readonly counters: WasmGemmCounters = { calls: 0, floatsIn: 0, floatsOut: 0, parallelCalls: 0 };
  /** Calls that ran on the reference kernel for want of memory; the backend's other kernels record theirs here too. */
  readonly fallbacks = new ReferenceFallbacks();
  /** Where operands start in the local memory. */
  private readonly localOperands: number;
  /** Where operands start in the shared memory, after the control blocks and one work region per thread. */
  private readonly sharedOperands: number;
  private readonly sharedWorkBytes: number;
  private readonly localStaging: Staging;
  private readonly sharedStaging: Staging | undefined;

  constructor(options: WasmGemmOptions) {
    const workers = Math.max(0, Math.min(7, Math.floor(options.threads) - 1));
    this.local = new KernelInstance(false, 2 << 20);
    this.localOperands = align16(this.local.workBytes);
    this.localStaging = new Staging(this.local, this.localOperands);
    let shared: KernelInstance | undefined;
    if (sharedMemorySupported()) {
      try {
        shared = new KernelInstance(true, 2 << 20);
      } catch (error) {
        // A shared memory reserves its whole maximum at once, which a short address space may refuse where the plain
        // memory fits. Then run like a page without shared memory: one thread, the same results.
        this.sharedFailure = `shared WebAssembly memory could not be created (${String(error)})`;
      }
    }
    if (shared) {
      this.sharedWorkBytes = align16(shared.workBytes);
      this.sharedOperands = CONTROL_REGION + (workers + 1) * this.sharedWorkBytes;
      this.shared = shared;
      this.arena = new ResidentArena(shared, this.sharedOperands);
      this.sharedStaging = new Staging(shared, this.sharedOperands);
      if (workers > 0) this.threads = new WorkerPool(shared, workers, (i) => i * CONTROL_BYTES);
    } else {
      this.sharedWorkBytes = 0;
      this.sharedOperands = 0;
    }
  }

  /** Where the local memory is free for other kernels' staging: past the gemm's own work region. */
  get scratchEnd(): number {
    return this.localOperands;
  }

  /** The {@link Backend.gemm} kernel. */
  gemm(
    transA: boolean,
    transB: boolean,
    m: number,
    n: number,
    k: number,
    alpha: number,
    a: Float32Array,
    aOffset: number,
    lda: number,
    b: Float32Array,
    bOffset: number,
    ldb: number,
    beta: number,
    c: Float32Array,
    cOffset: number,
    ldc: number,
  ): void {
    // The kernel takes α and β as float32: a value that rounds to 0 there, but is not 0, is left to the reference.
    if (m === 0 || n === 0 || k === 0 || Math.fround(alpha) === 0 || (beta !== 0 && Math.fround(beta) === 0)) {
      // Nothing to multiply: only C ← β·C, which the reference does without reading C when β = 0.
      referenceGemm(transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc);
      return;
    }
    const arena = this.arena;
    const aHeld = arena?.holds(a) === true;
    const bHeld = arena?.holds(b) === true;
    const cHeld = arena?.holds(c) === true;
    const macs = m * n * k;
    const minMacs = aHeld && bHeld && cHeld ? PARALLEL_MIN_MACS_RESIDENT : PARALLEL_MIN_MACS;
    const helpers = this.threads !== undefined && macs >= minMacs ? this.threads.ready() : 0;
    const onShared = helpers > 0 || (aHeld && bHeld && cHeld);
    const staging = onShared ? (this.sharedStaging as Staging) : this.localStaging;
    // On the shared memory, resident operands are used where they are; the others are staged past the last block.
    const aResident = onShared && aHeld;
    const bResident = onShared && bHeld;
    const cResident = onShared && cHeld;
    const aLength = transA ? (k - 1) * lda + m : (m - 1) * lda + k;
    const bLength = transB ? (n - 1) * ldb + k : (k - 1) * ldb + n;
    const cLength = (m - 1) * ldc + n;
    // The micro-kernel reads 4 rows of op(A) even on the last, partial row tile: keep 3 more rows readable.
    const aReadable = aLength + (transA ? 3 : 3 * lda);
    staging.reset(onShared ? (arena as ResidentArena).end : undefined);
    const aAt = aResident ? a.byteOffset + 4 * aOffset : staging.reserve(aReadable);
    const bAt = bResident ? b.byteOffset + 4 * bOffset : staging.reserve(bLength);
    const cAt = cResident ? c.byteOffset + 4 * cOffset : staging.reserve(cLength);
    const depth = depthSplit(m, n, k);
    const partial = depth > 0 ? staging.reserve(m * n) : 0;
    if (!staging.commit() || (aResident && !staging.kernels.reserve(aAt + 4 * aReadable))) {
      // Beyond the memory limit: the reference kernel has no such limit, but rounds differently.
      this.fallbacks.record('gemm');
      referenceGemm(transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc);
      return;
    }
    const counters = this.counters;
    counters.calls++;
    if (!aResident) {
      staging.copyIn(aAt, a, aOffset, aLength);
      counters.floatsIn += aLength;
    }
    if (!bResident) {
      staging.copyIn(bAt, b, bOffset, bLength);
      counters.floatsIn += bLength;
    }
    if (beta !== 0 && !cResident) {
      staging.copyIn(cAt, c, cOffset, cLength);
      counters.floatsIn += cLength;
    }
    const job: GemmJob = {
      kind: 'gemm',
      transA: transA ? 1 : 0,
      transB: transB ? 1 : 0,
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
      work: onShared ? CONTROL_REGION : 0,
    };
    if (depth > 0) {
      const [first, second] = this.halves(job, depth, partial, helpers > 0);
      if (helpers > 0) this.runShared(first, [second], staging, arena as ResidentArena);
      else {
        runJob(staging.kernels, first);
        runJob(staging.kernels, second);
      }
      staging.kernels.exports.add_block(m, n, partial, n, cAt, ldc);
    } else if (helpers > 0) {
      const [own, ...shares] = this.split(job, helpers + 1);
      this.runShared(own, shares, staging, arena as ResidentArena);
    } else {
      runJob(staging.kernels, job);
    }
    if (cResident) return;
    // Copy C back. With β = 0 the gaps between rows (ldc > n) were never staged, so copy row by row.
    if (beta !== 0 || ldc === n) {
      staging.copyOut(cAt, c, cOffset, cLength);
    } else {
      for (let i = 0; i < m; i++) staging.copyOut(cAt + 4 * i * ldc, c, cOffset + i * ldc, n);
    }
    counters.floatsOut += m * n;
  }

  /**
   * Runs `own` on the calling thread and `shares` on the workers, each writing its own block of memory in place. If
   * the pool fails during the call, everything staged so far is left behind (the arena skips past it), so a worker that
   * is still running can only write staged memory nobody uses any more, or the resident output of its own share, which
   * the `WorkerThreadError` reports as incomplete.
   */
  private runShared(own: GemmJob, shares: GemmJob[], staging: Staging, arena: ResidentArena): void {
    const threads = this.threads as WorkerPool;
    if (shares.length > 0) this.counters.parallelCalls++;
    const healthy = threads.failure === undefined;
    try {
      threads.run(own, shares);
    } finally {
      if (healthy && threads.failure !== undefined) arena.skipTo(staging.end);
    }
  }

  /**
   * The two halves of a product split along its depth at `depth`: the first writes C (applying β), the second writes
   * its product into `partial` (m × n, packed), which the caller then adds to C. Run side by side (`parallel`), each
   * has its own work area; one after the other, they share one.
   */
  private halves(job: GemmJob, depth: number, partial: number, parallel: boolean): [GemmJob, GemmJob] {
    const first = { ...job, k: depth };
    const second = {
      ...job,
      k: job.k - depth,
      a: job.a + 4 * depth * (job.transA ? job.lda : 1),
      b: job.b + 4 * depth * (job.transB ? 1 : job.ldb),
      beta: 0,
      c: partial,
      ldc: job.n,
      work: parallel ? CONTROL_REGION + this.sharedWorkBytes : job.work,
    };
    return [first, second];
  }

  /**
   * Splits C into up to `parts` blocks of whole tiles, by rows (multiples of 4) or by columns (multiples of 8),
   * whichever leaves each thread less of A and B to read: a block of rows needs its rows of op(A) and all of op(B),
   * a block of columns all of op(A) and its columns of op(B), and what a worker reads comes from the other core's
   * cache. Each element is computed exactly as it would be unsplit, so the result does not depend on threads.
   */
  private split(job: GemmJob, parts: number): GemmJob[] {
    const columnTiles = Math.ceil(job.n / 8);
    const rowTiles = Math.ceil(job.m / 4);
    const aSize = job.m * job.k;
    const bSize = job.k * job.n;
    const byColumns = rowTiles < parts || (columnTiles >= parts && aSize + bSize / parts <= aSize / parts + bSize);
    const tiles = byColumns ? columnTiles : rowTiles;
    const count = Math.min(parts, tiles);
    const slices: GemmJob[] = [];
    let start = 0;
    for (let s = 0; s < count; s++) {
      const stop = Math.round(((s + 1) * tiles) / count);
      const slice = { ...job, work: CONTROL_REGION + s * this.sharedWorkBytes };
      if (byColumns) {
        const j0 = start * 8;
        slice.n = Math.min(job.n, stop * 8) - j0;
        slice.b = job.b + 4 * j0 * (job.transB ? job.ldb : 1);
        slice.c = job.c + 4 * j0;
      } else {
        const i0 = start * 4;
        slice.m = Math.min(job.m, stop * 4) - i0;
        slice.a = job.a + 4 * i0 * (job.transA ? 1 : job.lda);
        slice.c = job.c + 4 * i0 * job.ldc;
      }
      slices.push(slice);
      start = stop;
    }
    return slices;
  }
}
