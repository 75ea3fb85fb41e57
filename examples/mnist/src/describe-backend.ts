import { type Backend, backendFallbackReason, type WasmBackend } from '@mnist/tensor';
import { backendVariables, currentBackend } from './current-backend.js';

/**
 * The header line naming the backend the ops run on: `backend: wasm-simd, 2 threads` (`…, 2 threads, relaxed SIMD`
 * when its products fuse their multiply-adds), or `backend: js (…)` with the reason when the default backend fell
 * back or runs on fewer threads than asked for.
 *
 * @param reason - why, from `backendFallbackReason()` of `@mnist/tensor`; `undefined` when nothing fell back
 */
export function describeBackend(backend: Backend, reason: string | undefined): string {
  const wasm = backend.name === 'wasm-simd' ? (backend as WasmBackend) : undefined;
  const threads = wasm
    ? `, ${wasm.threads} thread${wasm.threads === 1 ? '' : 's'}${wasm.relaxedSimd ? ', relaxed SIMD' : ''}`
    : '';
  return `backend: ${backend.name}${threads}${reason === undefined ? '' : ` (${reason})`}`;
}

/**
 * {@link describeBackend} for the backend the ops use now, once its worker threads have started (or failed to), so the
 * thread count is the one that will do the work. The reason is why it fell back, else the environment variables that
 * chose it (`MNIST_BACKEND=js`), which `@mnist/tensor` reads but does not count as a fallback.
 */
export async function describeCurrentBackend(env: Record<string, string | undefined> = process.env): Promise<string> {
  const backend = currentBackend(env);
  if (backend.name === 'wasm-simd') await (backend as WasmBackend).ready();
  const chosen = backendVariables(env);
  return describeBackend(backend, backendFallbackReason() ?? (chosen.length > 0 ? chosen.join(', ') : undefined));
}
