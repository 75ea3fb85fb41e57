import type { BackendInfo } from '../backend.js';

/**
 * The line that says what the page computes on: the training worker's backend and threads (the figure that matters
 * for speed) and the main thread's, with the reason when there is only one thread, and whether the products fuse
 * their multiply-adds. Also in `data-backend`, `data-threads` and `data-relaxed-simd` (the worker's) on the element.
 */
export function showBackend(element: HTMLElement, page: BackendInfo, worker: BackendInfo | undefined): void {
  const threads = (n: number) => `${n} thread${n === 1 ? '' : 's'}`;
  if (!worker) {
    element.textContent = `Drawings are classified on ${page.name} (${threads(page.threads)}); the training worker is starting…`;
    return;
  }
  element.dataset.backend = worker.name;
  element.dataset.threads = String(worker.threads);
  element.dataset.relaxedSimd = String(worker.relaxedSimd);
  const why = worker.isolated
    ? 'the page is cross-origin isolated, so training may use a thread per core, up to 4'
    : 'this host does not send the cross-origin isolation headers, so the page cannot share memory between threads';
  const fused = worker.relaxedSimd ? ', with fused multiply-adds (WebAssembly relaxed SIMD)' : '';
  element.textContent =
    `Training runs in a Web Worker on ${worker.name}, ${threads(worker.threads)}${fused} (${why}). ` +
    `Drawings are classified on the page's main thread on ${page.name}, ${threads(page.threads)}.`;
}
