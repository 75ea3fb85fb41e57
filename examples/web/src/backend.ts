// Everything about choosing and configuring the compute backend lives here, in one place, for both of the app's
// JavaScript realms: the page's main thread, which classifies drawings, and the training worker. Each realm has its
// own backend (a backend is per realm), chosen once, before the realm builds or loads any model, and every model the
// realm builds or loads is placed on it (`place`), so its weights and buffers live in the backend's own memory.
import type { Sequential } from '@mnist/nn';
import {
  type Backend,
  createWasmBackend,
  jsBackend,
  setBackend,
  type WasmBackend,
  wasmSimdSupported,
} from '@mnist/tensor';

/** What the page reports about a realm's backend. */
export interface BackendInfo {
  /** The backend's name: `wasm-simd`, or `js` where the engine lacks WebAssembly SIMD. */
  name: string;
  /** Threads its large products run on (the realm's own thread included). */
  threads: number;
  /** Whether the page is cross-origin isolated, which is what allows more than one thread. */
  isolated: boolean;
  /** Whether its products fuse their multiply-adds (WebAssembly relaxed SIMD, which current browsers validate). */
  relaxedSimd: boolean;
}

/**
 * The page's main thread: `wasm-simd` on one thread. Classifying one drawing is a few small products, too small to
 * split, and a browser's main thread may not block waiting for helper threads, so it starts none.
 */
export function usePageBackend(): BackendInfo {
  const backend = wasmBackend(1);
  return install(backend ?? jsBackend, 1);
}

/**
 * The training worker: `wasm-simd` with the library's default thread count, every core up to 4 when the page is
 * cross-origin isolated, one thread otherwise. Resolves once the helper threads have started (or failed to), so the
 * count it reports is the one training gets.
 */
export async function useWorkerBackend(): Promise<BackendInfo> {
  const backend = wasmBackend(undefined);
  return backend ? install(backend, await backend.ready()) : install(jsBackend, 1);
}

/** The `wasm-simd` backend, or undefined where it cannot run (no SIMD, or a policy that forbids compiling WebAssembly). */
function wasmBackend(threads: number | undefined): WasmBackend | undefined {
  if (!wasmSimdSupported()) return undefined;
  try {
    return createWasmBackend(threads === undefined ? {} : { threads });
  } catch {
    return undefined;
  }
}

/** The backend this realm chose, once `usePageBackend` or `useWorkerBackend` has run. */
let chosen: Backend | undefined;

/**
 * Places `model` on this realm's backend (`model.to(backend)`): its parameters, gradients, optimizer state and layer
 * buffers move into the backend's own memory, where the kernels use them without copying, and `fit` places its
 * batches there too. Before a backend is chosen (in unit tests under Node.js) the model stays where it is.
 */
export function place<M extends Sequential>(model: M): M {
  return chosen === undefined ? model : model.to(chosen);
}

function install(backend: Backend, threads: number): BackendInfo {
  // Also the realm's current backend, for ops on tensors that are not placed (a drawing's 28×28 input).
  setBackend(backend);
  chosen = backend;
  const relaxedSimd = (backend as Partial<WasmBackend>).relaxedSimd === true;
  return { name: backend.name, threads, isolated: globalThis.crossOriginIsolated === true, relaxedSimd };
}
