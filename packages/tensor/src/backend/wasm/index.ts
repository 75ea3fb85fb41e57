import type { Backend } from '../backend.js';
import { jsBackend } from '../js/index.js';
import { channelKernels } from './channels.js';
import { elementwiseKernels } from './elementwise.js';
import { gatherKernels } from './gather.js';
import { WasmGemm, type WasmGemmCounters } from './gemm.js';
import { imageKernels } from './image.js';
import { wasmSimdSupported } from './kernels.js';
import { threadsSupported, WorkerThreadError } from './worker-pool.js';

export { threadsSupported, WorkerThreadError, wasmSimdSupported };

/** Options of {@link createWasmBackend}. */
export interface WasmBackendOptions {
  /**
   * Threads that large matrix products and momentum updates are split over, the calling thread included; 1 runs
   * everything on the caller.
   * Default: {@link defaultThreadCount}. Values above 1 need worker threads with shared memory
   * ({@link threadsSupported}); where they are missing, the backend runs on one thread. At most 8 are used.
   */
  threads?: number;
}

/** The `wasm-simd` backend: gemm and the hottest kernels in WebAssembly SIMD, the others from the reference. */
export interface WasmBackend extends Backend {
  /** Threads large products and updates are split over (1 when worker threads are unavailable or have failed). */
  readonly threads: number;
  /** Counters of gemm calls and of the floats copied into and out of WebAssembly memory. */
  readonly counters: Readonly<WasmGemmCounters>;
  /** Why the worker threads were stopped, if they were (a worker crashed, missed a deadline, or `dispose` ran). */
  readonly threadFailure: string | undefined;
  /**
   * Why this backend runs short of what it was created for, in one line, or `undefined` while it does not: fewer
   * threads than asked for (worker threads unavailable here, unable to start, or stopped: `running on 1 thread instead
   * of 4: …`), or kernel calls that ran on the reference kernels, which round differently, because WebAssembly memory
   * could not grow. Two reasons are joined with `; `.
   */
  readonly fallbackReason: string | undefined;
  /**
   * Resolves with the thread count once the worker threads have started (they start in the background, and until then
   * the calling thread does all the work), or have failed to. Benchmarks await it before timing.
   */
  ready(): Promise<number>;
  /** Stops the worker threads; later products run on the calling thread. */
  dispose(): void;
}

/**
 * The number of threads the default backend uses: the logical CPUs (at most 4) where worker threads with shared
 * memory exist, else 1. The environment variable `MNIST_THREADS` (1 to 8) overrides it in Node.js (and where worker
 * threads are missing, the default backend's {@link WasmBackend.fallbackReason} says that it runs on 1).
 * @throws RangeError when `MNIST_THREADS` is set to anything else
 */
export function defaultThreadCount(): number {
  const requested = environmentThreadCount();
  if (!threadsSupported()) return 1;
  return requested ?? Math.max(1, Math.min(4, logicalCpus()));
}

/**
 * `MNIST_THREADS`, when set: a count asked for, which the default backend passes on even where worker threads are
 * missing, so that its {@link WasmBackend.fallbackReason} says it runs on fewer. @internal
 * @throws RangeError when it is set to anything but an integer from 1 to 8
 */
export function environmentThreadCount(): number | undefined {
  const variable = environment('MNIST_THREADS');
  if (variable === undefined || variable === '') return undefined;
  const count = Number(variable);
  if (!Number.isInteger(count) || count < 1 || count > 8) {
    throw new RangeError(`MNIST_THREADS: expected an integer from 1 to 8, found '${variable}'`);
  }
  return count;
}

/**
 * Creates the WebAssembly SIMD backend. gemm (every transpose form) runs as 4 × 8 f32x4 register tiles, about 7× the
 * reference kernel on one core; large products and momentum updates are split over worker threads when `threads > 1`.
 * Where B is not transposed and is at least 32 columns wide, rows of op(A) that are mostly zeros (a batch of MNIST
 * images is about 80% zeros) are multiplied from a list of their nonzeros, which does the same arithmetic minus the
 * products with zero and so gives the same result bit for bit, unless B holds an infinity or NaN (then nothing is
 * skipped, so 0·∞ is NaN as it should be).
 * The momentum update, `fill`, `gatherBytes`, ReLU and its gradient, the bias kernels, `sumAxis`, `im2col`/`col2im`,
 * max pooling and batch normalisation run in WebAssembly too; the rest are the reference kernels. Where shared memory
 * exists the backend has `allocate` (behind `Tensor.resident`): arrays in its own memory, which kernels use without
 * copying.
 *
 * Results equal the reference within float32 rounding: gemm accumulates in float32 (the reference in float64), in an
 * order that does not depend on the number of threads (a deep product is split along its depth on one thread too), so
 * a seed gives the same weights with 1 thread or 4.
 *
 * @throws Error when this engine lacks WebAssembly SIMD ({@link wasmSimdSupported}).
 * @example
 * ```ts
 * import { createWasmBackend, setBackend } from '@mnist/tensor';
 *
 * setBackend(createWasmBackend({ threads: 1 }));
 * ```
 */
export function createWasmBackend(options: WasmBackendOptions = {}): WasmBackend {
  if (!wasmSimdSupported()) {
    throw new Error('createWasmBackend: this JavaScript engine has no WebAssembly SIMD; use jsBackend instead');
  }
  const requested = options.threads ?? defaultThreadCount();
  if (!Number.isInteger(requested) || requested < 1) {
    throw new RangeError(`createWasmBackend: expected threads to be an integer ≥ 1, found ${requested}`);
  }
  const supported = threadsSupported();
  const threads = requested > 1 && supported ? Math.min(requested, 8) : 1;
  const engine = new WasmGemm({ threads });
  const resident =
    engine.shared && engine.arena ? { kernels: engine.shared, arena: engine.arena, pool: engine.threads } : undefined;
  // Why fewer threads run than were asked for (at most 8 are ever used, as documented: that is not a shortfall).
  const threadShortfall = (): string | undefined => {
    if (requested > 1 && !supported) {
      return `running on 1 thread instead of ${requested}: worker threads with shared memory are unavailable here`;
    }
    if (threads > 1 && engine.sharedFailure !== undefined) {
      return `running on 1 thread instead of ${threads}: ${engine.sharedFailure}`;
    }
    const failure = engine.threads?.failure;
    return failure === undefined
      ? undefined
      : `running on 1 thread instead of ${threads}: the worker threads stopped (${failure})`;
  };
  return Object.freeze({
    ...jsBackend,
    ...elementwiseKernels(engine.local, engine.scratchEnd, engine.fallbacks, resident),
    ...gatherKernels(engine.local, engine.scratchEnd, resident),
    ...imageKernels(engine.local, engine.scratchEnd),
    ...channelKernels(engine.local, engine.scratchEnd),
    name: 'wasm-simd',
    gemm: engine.gemm.bind(engine),
    // Where shared memory exists: arrays in it stay valid as it grows, so they can be handed out.
    ...(engine.arena ? { allocate: (length: number) => allocateResident(engine, length) } : {}),
    get threads() {
      return engine.threads === undefined || engine.threads.failure !== undefined ? 1 : threads;
    },
    counters: engine.counters,
    get threadFailure() {
      return engine.threads?.failure;
    },
    get fallbackReason() {
      const reasons = [threadShortfall(), engine.fallbacks.reason()].filter((reason) => reason !== undefined);
      return reasons.length === 0 ? undefined : reasons.join('; ');
    },
    async ready() {
      return 1 + ((await engine.threads?.started()) ?? 0);
    },
    dispose() {
      engine.threads?.stop('disposed');
    },
  });
}

function allocateResident(engine: WasmGemm, length: number): Float32Array {
  if (!Number.isSafeInteger(length) || length < 0) {
    throw new RangeError(`allocate: expected a length that is an integer ≥ 0, found ${length}`);
  }
  // Past the memory's limit, an ordinary array: still correct, only copied when a kernel uses it.
  return engine.arena?.allocate(length) ?? new Float32Array(length);
}

function environment(name: string): string | undefined {
  return (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[name];
}

function logicalCpus(): number {
  const getBuiltin = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process
    ?.getBuiltinModule;
  const os = typeof getBuiltin === 'function' ? (getBuiltin('node:os') as { availableParallelism?: () => number }) : {};
  if (typeof os?.availableParallelism === 'function') return os.availableParallelism();
  return (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 1;
}
