// Starting a worker thread, in Node.js (worker_threads) or a browser (Web Workers), typed locally: the package depends
// on neither the Node.js nor the DOM type definitions.

interface NodeWorker {
  on(event: 'error' | 'exit', listener: (value: unknown) => void): void;
  unref(): void;
  terminate(): Promise<number>;
}

type NodeWorkerConstructor = new (source: string, options: { eval: true; workerData: unknown }) => NodeWorker;

/** The browser globals a Web Worker needs. */
interface WebWorkerScope {
  Worker: new (
    url: string,
  ) => { onerror: ((event: { message: string }) => void) | null; postMessage(data: unknown): void; terminate(): void };
  Blob: new (parts: string[], options: { type: string }) => object;
  URL: { createObjectURL(blob: object): string; revokeObjectURL(url: string): void };
}

/** The Node.js `Worker` class when this is Node.js (≥ 20.16 has `process.getBuiltinModule`). */
function nodeWorkerClass(): NodeWorkerConstructor | undefined {
  const getBuiltin = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process
    ?.getBuiltinModule;
  if (typeof getBuiltin !== 'function') return undefined;
  return (getBuiltin('node:worker_threads') as { Worker?: NodeWorkerConstructor } | undefined)?.Worker;
}

/** Whether worker threads that share WebAssembly memory can be started here. */
export function threadsSupported(): boolean {
  if (typeof SharedArrayBuffer !== 'function' || typeof Atomics !== 'object') return false;
  if (nodeWorkerClass() !== undefined) return true;
  const scope = globalThis as { Worker?: unknown; crossOriginIsolated?: boolean; Blob?: unknown; URL?: unknown };
  return typeof scope.Worker === 'function' && scope.crossOriginIsolated === true && typeof scope.Blob === 'function';
}

/**
 * Starts one worker running the program `source` on `data`; returns how to end it. `fail` hears of the worker's
 * errors and of its exit.
 * @throws whatever the engine throws when it cannot start a thread (a resource limit, a policy)
 */
export function startWorker(source: string, data: object, index: number, fail: (reason: string) => void): () => void {
  const NodeWorker = nodeWorkerClass();
  if (NodeWorker !== undefined) {
    const worker = new NodeWorker(source, { eval: true, workerData: data });
    // A pool must never keep a finished program alive.
    worker.unref();
    worker.on('error', (error) => fail(`kernel worker ${index} failed: ${String(error)}`));
    worker.on('exit', (code) => fail(`kernel worker ${index} exited with code ${String(code)}`));
    return () => void worker.terminate();
  }
  const web = globalThis as unknown as WebWorkerScope;
  const url = web.URL.createObjectURL(new web.Blob([source], { type: 'text/javascript' }));
  const worker = new web.Worker(url);
  web.URL.revokeObjectURL(url);
  worker.onerror = (event) => fail(`kernel worker ${index} failed: ${event.message}`);
  worker.postMessage(data);
  return () => worker.terminate();
}

/** Whether this thread can block in `Atomics.wait`: Node.js's main thread and workers can, a browser's main thread not. */
export function canBlock(): boolean {
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false;
  }
}
