import type { Backend } from './backend.js';
import { jsBackend } from './js/index.js';
import {
  createWasmBackend,
  defaultThreadCount,
  environmentThreadCount,
  relaxedSimdSupported,
  wasmSimdSupported,
} from './wasm/index.js';

// Not a registry: one explicit slot. Nothing is installed by importing a module, so `"sideEffects": false` holds; the
// default is chosen on first use, and `setBackend` replaces it.
let current: Backend | undefined;

/**
 * The backend the ops currently run on. Until {@link setBackend} picks one, it is chosen on first use:
 * `wasm-simd` ({@link createWasmBackend} with the default thread count) where the engine has WebAssembly SIMD, else
 * the reference {@link jsBackend}. In Node.js the environment variable `MNIST_BACKEND=js` (or `wasm-simd`) forces the
 * choice, and `MNIST_RELAXED_SIMD=0` (or `1`) the `wasm-simd` arithmetic ({@link WasmBackendOptions.relaxedSimd}).
 */
export function getBackend(): Backend {
  current ??= defaultBackend();
  return current;
}

/**
 * The backend {@link getBackend} starts with; see there. When it has to fall back to the reference, the backend it
 * returns carries the reason in {@link Backend.fallbackReason} (see {@link backendFallbackReason}).
 * @throws Error when `MNIST_BACKEND`, `MNIST_THREADS` or `MNIST_RELAXED_SIMD` holds something other than the values
 *   they accept, or `MNIST_RELAXED_SIMD=1` asks for relaxed SIMD where the engine does not validate it
 */
export function defaultBackend(): Backend {
  const forced = environment('MNIST_BACKEND');
  if (forced === 'js') return jsBackend;
  if (forced !== undefined && forced !== '' && forced !== 'wasm-simd') {
    throw new Error(`MNIST_BACKEND: expected 'js' or 'wasm-simd', found '${forced}'`);
  }
  if (!wasmSimdSupported()) {
    return referenceInstead('this JavaScript engine has no WebAssembly SIMD, so the js reference backend runs');
  }
  // Outside the try: a malformed MNIST_THREADS or MNIST_RELAXED_SIMD is the user's mistake to hear about, not a reason
  // to fall back. A count MNIST_THREADS asks for is passed on as asked, so that running on fewer threads is reported.
  const threads = environmentThreadCount() ?? defaultThreadCount();
  const relaxedSimd = environmentRelaxedSimd();
  try {
    return createWasmBackend({ threads, relaxedSimd });
  } catch (error) {
    // A page whose policy forbids compiling WebAssembly, or a process whose virtual memory is limited below what a
    // WebAssembly memory reserves (`ulimit -v`): the reference always works, but it rounds differently.
    return referenceInstead(
      `wasm-simd could not start (${String(error)}), so the js reference backend runs, whose results differ in the last bits`,
    );
  }
}

/**
 * `MNIST_RELAXED_SIMD`: `1` fused multiply-adds, `0` the exact arithmetic, unset (or empty) the engine's best.
 * @throws Error when it holds anything else, or `1` where the engine does not validate relaxed SIMD
 */
function environmentRelaxedSimd(): boolean | undefined {
  const variable = environment('MNIST_RELAXED_SIMD');
  if (variable === undefined || variable === '') return undefined;
  if (variable !== '0' && variable !== '1') {
    throw new Error(`MNIST_RELAXED_SIMD: expected '0' or '1', found '${variable}'`);
  }
  if (variable === '1' && !relaxedSimdSupported()) {
    throw new Error(
      'MNIST_RELAXED_SIMD=1, but this JavaScript engine does not validate WebAssembly relaxed SIMD ' +
        '(Node.js ≥ 22 does; Node.js 20 with --experimental-wasm-relaxed-simd)',
    );
  }
  return variable === '1';
}

function environment(name: string): string | undefined {
  return (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[name];
}

/** The reference kernels under their own name, carrying why they run instead of `wasm-simd`. */
function referenceInstead(reason: string): Backend {
  return Object.freeze({ ...jsBackend, fallbackReason: reason });
}

/**
 * Why the current backend ({@link getBackend}, which chooses the default on first use) is not running as preferred,
 * in one line fit for a log or a CLI header, or `undefined` when it is: the default could not start `wasm-simd` and
 * runs the reference instead (whose results differ from `wasm-simd`'s in the last bits, so a seed gives other
 * weights), or `wasm-simd` runs on fewer threads than it was asked for (worker threads missing, unable to start, or
 * stopped after a failure or `dispose`), or some of its kernel calls fell back to the reference kernels because
 * WebAssembly memory could not grow. A backend chosen on purpose (`MNIST_BACKEND=js`, `setBackend(jsBackend)`) has
 * none. It is the current backend's {@link Backend.fallbackReason}, and may appear later in a run (a worker that dies).
 *
 * @example A run's header line.
 * ```ts
 * import { backendFallbackReason, getBackend } from '@mnist/tensor';
 *
 * const why = backendFallbackReason();
 * console.log(`backend ${getBackend().name}${why === undefined ? '' : ` (${why})`}`);
 * ```
 */
export function backendFallbackReason(): string | undefined {
  return getBackend().fallbackReason;
}

/**
 * Makes every op run on `backend` from now on and returns the previous one, so a caller can restore it.
 * @throws TypeError when `backend` lacks a kernel of the {@link Backend} interface
 * @example
 * ```ts
 * declare const tracedGemm: Backend['gemm']; // your kernel: jsBackend.gemm, counting its calls
 * declare function train(): void;
 *
 * const previous = setBackend({ ...jsBackend, name: 'traced', gemm: tracedGemm });
 * try { train(); } finally { setBackend(previous); }
 * ```
 */
export function setBackend(backend: Backend): Backend {
  if (backend === null || typeof backend !== 'object') {
    throw new TypeError(`setBackend: expected a Backend object, found ${backend === null ? 'null' : typeof backend}`);
  }
  const missing = KERNELS.filter((k) => typeof (backend as unknown as Record<string, unknown>)[k] !== 'function');
  if (missing.length > 0) {
    throw new TypeError(
      `setBackend: backend '${backend?.name}' lacks kernels: ${missing.join(', ')}; spread jsBackend to inherit them`,
    );
  }
  const previous = getBackend();
  current = backend;
  return previous;
}

/** The names of every kernel a backend must provide. */
export const KERNELS: readonly Exclude<keyof Backend, 'name'>[] = Object.freeze([
  'gemm',
  'gemmBatched',
  'add',
  'sub',
  'mul',
  'div',
  'scale',
  'addScalar',
  'clamp',
  'axpy',
  'fill',
  'addRowVector',
  'sumAxis',
  'maxAxis',
  'argmaxAxis',
  'transpose',
  'softmaxRows',
  'softmaxRowsBackward',
  'relu',
  'reluBackward',
  'sigmoid',
  'sigmoidBackward',
  'tanh',
  'tanhBackward',
  'leakyRelu',
  'leakyReluBackward',
  'gelu',
  'geluBackward',
  'dropoutMask',
  'batchNormStatistics',
  'batchNormForward',
  'batchNormBackward',
  'adamUpdate',
  'rmspropUpdate',
  'adagradUpdate',
  'momentumUpdate',
  'dot',
  'crossEntropySum',
  'gatherRows',
  'gatherBytes',
  'oneHot',
  'im2col',
  'col2im',
  'addChannelBias',
  'maxPool2d',
  'maxPool2dBackward',
  'avgPool2d',
  'avgPool2dBackward',
] as const);
