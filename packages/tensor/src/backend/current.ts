import type { Backend } from './backend.js';
import { jsBackend } from './js/index.js';
import { createWasmBackend, defaultThreadCount, wasmSimdSupported } from './wasm/index.js';

// Not a registry: one explicit slot. Nothing is installed by importing a module, so `"sideEffects": false` holds; the
// default is chosen on first use, and `setBackend` replaces it.
let current: Backend | undefined;

/**
 * The backend the ops currently run on. Until {@link setBackend} picks one, it is chosen on first use:
 * `wasm-simd` ({@link createWasmBackend} with the default thread count) where the engine has WebAssembly SIMD, else
 * the reference {@link jsBackend}. In Node.js the environment variable `MNIST_BACKEND=js` (or `wasm-simd`) forces the
 * choice.
 */
export function getBackend(): Backend {
  current ??= defaultBackend();
  return current;
}

/**
 * The backend {@link getBackend} starts with; see there.
 * @throws Error when `MNIST_BACKEND` or `MNIST_THREADS` holds something other than the values they accept
 */
export function defaultBackend(): Backend {
  const forced = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.MNIST_BACKEND;
  if (forced === 'js') return jsBackend;
  if (forced !== undefined && forced !== '' && forced !== 'wasm-simd') {
    throw new Error(`MNIST_BACKEND: expected 'js' or 'wasm-simd', found '${forced}'`);
  }
  if (!wasmSimdSupported()) return jsBackend;
  // Outside the try: a malformed MNIST_THREADS is the user's mistake to hear about, not a reason to fall back.
  const threads = defaultThreadCount();
  try {
    return createWasmBackend({ threads });
  } catch {
    // A page whose policy forbids compiling WebAssembly, for one: the reference always works.
    return jsBackend;
  }
}

/**
 * Makes every op run on `backend` from now on and returns the previous one, so a caller can restore it.
 * @throws TypeError when `backend` lacks a kernel of the {@link Backend} interface
 * @example
 * ```ts
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
