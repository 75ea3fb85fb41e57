import type { Backend } from './backend.js';
import { jsBackend } from './js/index.js';

// Not a registry: one explicit slot. Nothing is installed by importing a module, so `"sideEffects": false` holds and
// the choice is whatever the application last passed to `setBackend` (the reference backend until then).
let current: Backend | undefined;

/** The backend the ops currently run on (the reference {@link jsBackend} unless {@link setBackend} chose another). */
export function getBackend(): Backend {
  current ??= jsBackend;
  return current;
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
  'dot',
  'crossEntropySum',
  'gatherRows',
  'oneHot',
  'im2col',
  'col2im',
  'addChannelBias',
  'maxPool2d',
  'maxPool2dBackward',
  'avgPool2d',
  'avgPool2dBackward',
] as const);
