import { relaxedSimdSupported, sharedMemorySupported } from '../kernels.js';
import { CACHE_LINE_BYTES, type Tuning, tuningWith } from '../tuning.js';
import { CallFrame } from './call-frame.js';
import { CONTROL_BYTES, jobRange, type KernelJob, runJob } from './job-table.js';
import { KernelInstance } from './kernel-instance.js';
import { MemoryArena } from './memory-arena.js';
import { decidePlacement } from './placement.js';
import { ReferenceFallbacks } from './reference-fallbacks.js';
import { WorkerPool, type WorkerPoolOptions } from './worker-pool.js';
import { threadsSupported } from './worker-threads.js';

/** The most threads a runtime runs, the calling one included (the shared memory holds this many control blocks). */
export const MAX_THREADS = 8;

/** Bytes at the start of the shared memory for the workers' control blocks. */
const CONTROL_REGION = MAX_THREADS * CONTROL_BYTES;

const align16 = (bytes: number) => (bytes + 15) & ~15;

/** Options of {@link WasmRuntime}. */
export interface WasmRuntimeOptions {
  /** Threads asked for, the calling one included (at most {@link MAX_THREADS} run). */
  threads: number;
  /** Entries of `tuning.ts` to move (tests and `benchmarks/src/wasm-thresholds.ts` only). */
  tuning?: Partial<Tuning>;
  /**
   * The kernels module with the gemm's multiply-adds fused (relaxed SIMD), or the exact one. Default: fused where the
   * engine validates relaxed SIMD ({@link relaxedSimdSupported}).
   */
  relaxedSimd?: boolean;
  /** Passed to the {@link WorkerPool} (tests). */
  workers?: WorkerPoolOptions;
}

/** When a call splits over the worker threads: from how much work, by whether its operands are placed. */
export interface SplitRule {
  /** Every operand in the backend's memory. */
  readonly placed: number;
  /** Some operand elsewhere (`Infinity`: such a call never splits). */
  readonly staged: number;
}

/**
 * The room of the `wasm-simd` backend that the kernel families run in: the two instances of the kernels module, the
 * memory arena, the call frame, the worker pool and its job table. A kernel family asks it where a call runs
 * ({@link WasmRuntime.begin}), lays out its operands in the {@link CallFrame} it gets back, calls the kernel there (or
 * {@link WasmRuntime.run} to share it with the workers), and finishes the frame.
 *
 * The memories:
 * - the plain one: the gemm's scratch for the calling thread, then staged operands;
 * - the shared one, where shared memory exists: the workers' control blocks, one gemm scratch per thread, then the
 *   {@link MemoryArena} (the arrays `allocate` hands out), then operands staged for a call split over the threads.
 *   (Creating it can fail where the address space is short; then the runtime runs like one without shared memory.)
 */
export class WasmRuntime {
  /** This runtime's tuning: `tuning.ts`, with the entries its options moved. */
  readonly tuning: Tuning;
  /** The instance over the plain memory, for staged calls. */
  readonly plain: KernelInstance;
  /** The instance over the shared memory, where shared memory exists. */
  readonly shared: KernelInstance | undefined;
  /** The arrays in the shared memory. */
  readonly arena: MemoryArena | undefined;
  /** The worker threads, when more than one thread runs. */
  readonly pool: WorkerPool | undefined;
  /** Threads asked for. */
  readonly requested: number;
  /** Whether the kernels fuse the gemm's multiply-adds (relaxed SIMD). */
  readonly relaxedSimd: boolean;
  /** Why there is no shared instance although this engine supports shared memory, if that happened. */
  readonly sharedFailure: string | undefined;
  /** Calls that ran on the reference kernels for want of memory, where that changes the bits. */
  readonly fallbacks = new ReferenceFallbacks();
  /** Kernel calls shared with the worker threads so far (tests check that a split path ran). */
  sharedCalls = 0;
  private readonly started: number;
  private readonly frame: CallFrame;
  private readonly plainBase: number;

  constructor(options: WasmRuntimeOptions) {
    this.tuning = tuningWith(options.tuning);
    this.requested = options.threads;
    this.relaxedSimd = options.relaxedSimd ?? relaxedSimdSupported();
    this.started = options.threads > 1 && threadsSupported() ? Math.min(options.threads, MAX_THREADS) : 1;
    const scratch = align16(this.tuning.GEMM_WORK_BYTES);
    const relaxed = this.relaxedSimd;
    this.plain = new KernelInstance(false, this.tuning, { relaxed });
    this.plainBase = scratch;
    this.frame = new CallFrame(this.plain);
    if (!sharedMemorySupported()) return;
    try {
      this.shared = new KernelInstance(true, this.tuning, { relaxed });
    } catch (error) {
      // A shared memory reserves its whole maximum at once, which a short address space may refuse where the plain
      // memory fits. Then run like a page without shared memory: one thread, the same results.
      this.sharedFailure = `shared WebAssembly memory could not be created (${String(error)})`;
      return;
    }
    this.arena = new MemoryArena(this.shared, CONTROL_REGION + this.started * scratch);
    if (this.started > 1) {
      this.pool = new WorkerPool(this.shared, this.started - 1, (i) => i * CONTROL_BYTES, options.workers);
    }
  }

  /** Whether every given array is in the backend's memory (fixed arity, so a call allocates no argument array). */
  placed(
    a: ArrayBufferView,
    b?: ArrayBufferView,
    c?: ArrayBufferView,
    d?: ArrayBufferView,
    e?: ArrayBufferView,
    f?: ArrayBufferView,
    g?: ArrayBufferView,
    h?: ArrayBufferView,
  ): boolean {
    const arena = this.arena;
    if (arena === undefined) return false;
    return (
      arena.holds(a) &&
      holdsIfGiven(arena, b) &&
      holdsIfGiven(arena, c) &&
      holdsIfGiven(arena, d) &&
      holdsIfGiven(arena, e) &&
      holdsIfGiven(arena, f) &&
      holdsIfGiven(arena, g) &&
      holdsIfGiven(arena, h)
    );
  }

  /**
   * Begins a kernel call whose operands are all placed (`operandsPlaced`, from {@link WasmRuntime.placed}) or not, on
   * the calling thread alone, or shared with the workers when it does `work` (multiply-adds, elements) at or past
   * `split`'s threshold and workers are ready. Returns the frame to lay the call out in, its placement decided.
   */
  begin(operandsPlaced: boolean, split?: SplitRule, work = 0): CallFrame {
    const threshold = split === undefined ? Infinity : operandsPlaced ? split.placed : split.staged;
    const helpers = this.pool !== undefined && work >= threshold ? this.pool.available() : 0;
    const placement = decidePlacement(operandsPlaced, helpers > 0);
    if (placement === 'staged') return this.frame.begin(placement, this.plain, this.plainBase, undefined, 0);
    const arena = this.arena as MemoryArena;
    return this.frame.begin(placement, this.shared as KernelInstance, arena.end, arena, helpers);
  }

  /** The byte offset of `thread`'s gemm scratch (`GEMM_WORK_BYTES`) in the memory `frame` runs on. */
  scratchOf(frame: CallFrame, thread: number): number {
    return frame.placement === 'staged' ? 0 : CONTROL_REGION + thread * align16(this.tuning.GEMM_WORK_BYTES);
  }

  /**
   * Runs `own` on the calling thread and `shares` on the workers, each writing its own block of the shared memory in
   * place. If the pool fails during the call, everything `frame` staged is left behind (the arena skips past it), so a
   * worker that is still running can only write staged memory nobody uses any more, or the placed output of its own
   * share, which the `WorkerThreadError` reports as incomplete.
   */
  run(frame: CallFrame, own: KernelJob, shares: readonly KernelJob[]): void {
    const pool = this.pool as WorkerPool;
    const healthy = pool.failure === undefined;
    this.sharedCalls++;
    try {
      pool.run(own, shares);
    } finally {
      if (healthy && pool.failure !== undefined) this.arena?.skipTo(frame.end);
    }
  }

  /**
   * Runs an elementwise job of `n` elements (a kind run in chunks, such as a momentum update) in `frame.helpers + 1`
   * contiguous ranges, the first on the calling thread. Ranges are whole cache lines, so for arrays that start on one
   * (arrays in the backend's memory do) no two threads write one line; and they are the same for every job of the same
   * length, so a momentum update and a fill of one array give each thread the same elements. Each element's arithmetic
   * is the same whoever does it, so the result does not depend on the number of threads.
   */
  runInRanges(frame: CallFrame, job: KernelJob, n: number): void {
    const parts = frame.helpers + 1;
    const line = CACHE_LINE_BYTES / 4;
    const ranges: KernelJob[] = [];
    let start = 0;
    for (let p = 0; p < parts; p++) {
      const stop = p === parts - 1 ? n : Math.round((n * (p + 1)) / parts / line) * line;
      ranges.push(jobRange(job, start, stop - start));
      start = stop;
    }
    const [own, ...shares] = ranges;
    this.run(frame, own, shares);
  }

  /**
   * Runs a job over `count` items (channels, planes, images): on the calling thread, or cut into `frame.helpers + 1`
   * contiguous ranges of items ({@link evenRanges}), the first on the calling thread. `part(from, to)` is the job
   * restricted to items `from … to`; each item is computed as the whole job computes it, so the cut never changes a
   * result.
   */
  runInParts<Job extends KernelJob>(
    frame: CallFrame,
    job: Job,
    count: number,
    part: (from: number, to: number) => Job,
  ): void {
    const parts = Math.min(frame.helpers + 1, count);
    if (parts <= 1) {
      runJob(frame.exports, job);
      return;
    }
    const [own, ...shares] = evenRanges(count, parts).map(([from, to]) => part(from, to));
    this.run(frame, own, shares);
  }

  /** `Backend.allocate`: a zeroed array in the shared memory, or an ordinary one past the memory's limit. */
  allocate(length: number): Float32Array {
    if (!Number.isSafeInteger(length) || length < 0) {
      throw new RangeError(`allocate: expected a length that is an integer ≥ 0, found ${length}`);
    }
    // Past the memory's limit, an ordinary array: still correct, only copied when a kernel uses it.
    return this.arena?.allocate(length) ?? new Float32Array(length);
  }

  /** Threads that run now: 1 once the workers have failed or stopped, or when they never started. */
  get threads(): number {
    return this.pool === undefined || this.pool.failure !== undefined ? 1 : this.started;
  }

  /** Why fewer threads run than were asked for, or undefined (more than {@link MAX_THREADS} is no shortfall). */
  get threadShortfall(): string | undefined {
    const fewer = `running on 1 thread instead of ${this.started}`;
    if (this.requested > 1 && this.started === 1) {
      return `running on 1 thread instead of ${this.requested}: worker threads with shared memory are unavailable here`;
    }
    if (this.started > 1 && this.sharedFailure !== undefined) return `${fewer}: ${this.sharedFailure}`;
    const failure = this.pool?.failure;
    return failure === undefined ? undefined : `${fewer}: the worker threads stopped (${failure})`;
  }

  /** Resolves with the thread count once the workers have started or failed to. */
  async ready(): Promise<number> {
    return 1 + ((await this.pool?.started()) ?? 0);
  }

  /** Stops the worker threads; later calls run on the calling thread. */
  dispose(): void {
    this.pool?.stop('disposed');
  }
}

/** Items `0 … count` cut into `parts` contiguous ranges `[from, to)`, as even as whole items allow. */
export function evenRanges(count: number, parts: number): [from: number, to: number][] {
  const ranges: [number, number][] = [];
  let from = 0;
  for (let part = 0; part < parts; part++) {
    const to = Math.round(((part + 1) * count) / parts);
    ranges.push([from, to]);
    from = to;
  }
  return ranges;
}

function holdsIfGiven(arena: MemoryArena, array: ArrayBufferView | undefined): boolean {
  return array === undefined || arena.holds(array);
}
