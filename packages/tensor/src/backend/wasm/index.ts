import type { Backend } from '../backend.js';
import { jsBackend } from '../js/index.js';
import { channelKernels } from './channels.js';
import { elementwiseKernels } from './elementwise.js';
import { gatherKernels } from './gather.js';
import { type WasmGemmCounters, wasmGemm } from './gemm.js';
import { wasmGemmBatched } from './gemm-batched.js';
import { imageKernels } from './images.js';
import { relaxedSimdSupported, wasmSimdSupported } from './kernels.js';
import { optimizerKernels } from './optimizer.js';
import { WasmRuntime } from './runtime/runtime.js';
import { WorkerThreadError } from './runtime/worker-pool.js';
import { threadsSupported } from './runtime/worker-threads.js';
import { defaultThreadCount, environmentThreadCount } from './thread-count.js';

export type { WasmGemmCounters };
export {
  defaultThreadCount,
  environmentThreadCount,
  relaxedSimdSupported,
  threadsSupported,
  WorkerThreadError,
  wasmSimdSupported,
};

/** Options of {@link createWasmBackend}. */
export interface WasmBackendOptions {
  /**
   * Threads that large matrix products, momentum updates and a convolutional network's large layer kernels (`im2col`,
   * `col2im`, batch normalisation, 2 × 2 max pooling, ReLU) are split over, the calling thread included; 1 runs
   * everything on the caller.
   * Default: {@link defaultThreadCount}. Values above 1 need worker threads with shared memory
   * ({@link threadsSupported}); where they are missing, the backend runs on one thread. At most 8 are used.
   */
  threads?: number;
  /**
   * Whether gemm's multiply-adds are fused: the module built with WebAssembly relaxed SIMD's `f32x4.relaxed_madd`,
   * which rounds each product-and-sum once where the processor has fused multiply-add (x86-64 with FMA3, every 64-bit
   * Arm) and is faster there. Products then differ from the exact module's in their last bits, and may differ between
   * processors; on one engine and machine a seed still gives the same weights, whatever the thread count.
   * Default: true where the engine validates relaxed SIMD ({@link relaxedSimdSupported}: Chrome ≥ 114, Node.js ≥ 22),
   * else false. Pass false for results that are the same bits on every engine.
   */
  relaxedSimd?: boolean;
}

/** The `wasm-simd` backend: gemm and the hottest kernels in WebAssembly SIMD, the others from the reference. */
export interface WasmBackend extends Backend {
  /** Threads large calls are split over (1 when worker threads are unavailable or have failed). */
  readonly threads: number;
  /** Whether gemm's multiply-adds are fused (see {@link WasmBackendOptions.relaxedSimd}). */
  readonly relaxedSimd: boolean;
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
 * Creates the WebAssembly SIMD backend. gemm (every transpose form) runs as 4 × 8 f32x4 register tiles; large
 * products, momentum updates and layer kernels are split over worker threads when `threads > 1`. Where B is not
 * transposed and at least 32 columns wide, rows of op(A) that are mostly zeros (a batch of MNIST images is about 80%
 * zeros) are multiplied from a list of their nonzeros, which does the same arithmetic minus the products with zero and
 * so gives the same result bit for bit, unless B holds an infinity or NaN (then nothing is skipped, so 0·∞ is NaN as
 * it should be).
 * The momentum update, `fill`, `gatherBytes`, ReLU and its gradient, the bias kernels, `sumAxis`, `im2col`/`col2im`,
 * max pooling and batch normalisation run in WebAssembly too; the rest are the reference kernels. Where shared memory
 * exists the backend has `allocate` (behind `Tensor.to(backend)`): arrays in its own memory, which kernels use without
 * copying. `pnpm bench` measures how fast each is.
 *
 * Results equal the reference within float32 rounding: gemm accumulates in float32 (the reference in float64), in an
 * order that depends neither on the number of threads (a deep product is split along its depth on one thread too) nor
 * on where the arrays live, so a seed gives the same weights with 1 thread or 4. Where the engine validates relaxed
 * SIMD, gemm fuses its multiply-adds by default ({@link WasmBackendOptions.relaxedSimd}): other bits, the same
 * determinism on one engine and machine.
 *
 * @throws Error when this engine lacks WebAssembly SIMD ({@link wasmSimdSupported}), or relaxed SIMD when
 *   `relaxedSimd: true` asks for it ({@link relaxedSimdSupported}).
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
  const threads = options.threads ?? defaultThreadCount();
  if (!Number.isInteger(threads) || threads < 1) {
    throw new RangeError(`createWasmBackend: expected threads to be an integer ≥ 1, found ${threads}`);
  }
  const { relaxedSimd } = options;
  if (relaxedSimd !== undefined && typeof relaxedSimd !== 'boolean') {
    throw new TypeError(`createWasmBackend: expected relaxedSimd to be a boolean, found ${String(relaxedSimd)}`);
  }
  if (relaxedSimd === true && !relaxedSimdSupported()) {
    throw new Error(
      'createWasmBackend: relaxedSimd is true, but this JavaScript engine does not validate WebAssembly relaxed SIMD ' +
        '(Chrome ≥ 114 and Node.js ≥ 22 do; Node.js 20 with --experimental-wasm-relaxed-simd)',
    );
  }
  return wasmBackendOn(new WasmRuntime({ threads, relaxedSimd }));
}

/**
 * The `wasm-simd` backend over `runtime`: the reference kernels, overridden by each kernel family's. @internal (tests
 * and `benchmarks/src/wasm-thresholds.ts` build a runtime with moved tuning)
 */
export function wasmBackendOn(runtime: WasmRuntime): WasmBackend {
  const counters: WasmGemmCounters = { calls: 0, floatsIn: 0, floatsOut: 0, parallelCalls: 0 };
  const gemm = wasmGemm(runtime, counters);
  return Object.freeze({
    ...jsBackend,
    ...elementwiseKernels(runtime),
    ...optimizerKernels(runtime),
    ...gatherKernels(runtime),
    ...imageKernels(runtime),
    ...channelKernels(runtime),
    name: 'wasm-simd',
    gemm,
    gemmBatched: wasmGemmBatched(runtime, gemm, counters),
    // Where shared memory exists: arrays in it stay valid as it grows, so they can be handed out.
    ...(runtime.arena ? { allocate: (length: number) => runtime.allocate(length) } : {}),
    get threads() {
      return runtime.threads;
    },
    relaxedSimd: runtime.relaxedSimd,
    counters,
    get threadFailure() {
      return runtime.pool?.failure;
    },
    get fallbackReason() {
      const reasons = [runtime.threadShortfall, runtime.fallbacks.reason()].filter((reason) => reason !== undefined);
      return reasons.length === 0 ? undefined : reasons.join('; ');
    },
    ready: () => runtime.ready(),
    dispose: () => runtime.dispose(),
  });
}
