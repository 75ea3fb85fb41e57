import type { KernelInstance } from './kernels.js';
import { now, sleep } from './platform.js';

/**
 * Worker threads that run slices of a gemm on the same shared WebAssembly memory.
 *
 * Each worker owns a 32-word control block in that memory. The calling thread writes a job's arguments into it, bumps
 * `SEQUENCE` and wakes the worker with `Atomics.notify`; the worker runs the kernel and publishes the sequence number in
 * `DONE`. Nothing here can hang the caller: a worker that has not reported `ALIVE` gets no work, every wait has a
 * deadline, and a worker that misses one (or reports an error, or exits) takes the whole pool out of service. The caller
 * then computes the slice itself, so the product is still complete and identical.
 */

const SEQUENCE = 0;
const DONE = 1;
const ALIVE = 2;
const FAILED = 3;
/** Words 4 … 17 hold the gemm arguments, in the kernel's parameter order (α and β as float32 bits). */
const ARGUMENTS = 4;
/** Milliseconds the calling thread polls for a worker to finish before it sleeps. */
const POLL_MS = 2;
/** Milliseconds an idle worker polls for its next job before it sleeps. */
const SPIN_MS = 2;
/** Bytes of one control block. */
export const CONTROL_BYTES = 128;

/** A worker's share of a product: its job, how to finish it, and how to do it without the worker. */
export interface WorkerShare {
  /** The job the worker runs: C and the work area private to it. */
  onWorker: GemmJob;
  /** Moves the worker's result into C; called once the worker has finished. */
  collect(): void;
  /** The same share computed by the calling thread straight into C, with the caller's work area. */
  direct: GemmJob;
}

/** A gemm call as the kernel takes it: byte pointers into the shared memory. */
export interface GemmJob {
  transA: number;
  transB: number;
  m: number;
  n: number;
  k: number;
  alpha: number;
  a: number;
  lda: number;
  b: number;
  ldb: number;
  beta: number;
  c: number;
  ldc: number;
  work: number;
}

// The worker's whole program. It is a string so the package ships no separate file to resolve: Node.js evaluates it
// (`eval: true`), browsers load it from a Blob URL. `start` receives the module, the memory and its control block.
const WORKER_SOURCE = `
'use strict';
function start({ module, memory, control }) {
  const { gemm } = new WebAssembly.Instance(module, { env: { memory } }).exports;
  const words = new Int32Array(memory.buffer, control, 32);
  const floats = new Float32Array(memory.buffer, control, 32);
  Atomics.store(words, ${ALIVE}, 1);
  let seen = 0;
  for (;;) {
    // Poll for a while before sleeping: a training step issues products a fraction of a millisecond apart, and waking
    // from Atomics.wait costs more than a small product.
    const until = performance.now() + ${SPIN_MS};
    while (Atomics.load(words, ${SEQUENCE}) === seen) {
      let spin = 0;
      while (spin < 256 && Atomics.load(words, ${SEQUENCE}) === seen) spin++;
      if (performance.now() > until) {
        Atomics.wait(words, ${SEQUENCE}, seen);
        break;
      }
    }
    const sequence = Atomics.load(words, ${SEQUENCE});
    if (sequence < 0) return;
    const w = ${ARGUMENTS};
    try {
      gemm(words[w], words[w + 1], words[w + 2], words[w + 3], words[w + 4], floats[w + 5], words[w + 6],
        words[w + 7], words[w + 8], words[w + 9], floats[w + 10], words[w + 11], words[w + 12], words[w + 13]);
    } catch {
      Atomics.store(words, ${FAILED}, 1);
    }
    seen = sequence;
    Atomics.store(words, ${DONE}, sequence);
    Atomics.notify(words, ${DONE});
  }
}
if (typeof require === 'function') {
  const { workerData } = require('node:worker_threads');
  start(workerData);
} else {
  self.onmessage = (event) => start(event.data);
}
`;

interface WorkerHandle {
  words: Int32Array;
  floats: Float32Array;
  sequence: number;
  terminate(): void;
}

interface NodeWorker {
  on(event: 'error' | 'exit', listener: (value: unknown) => void): void;
  unref(): void;
  terminate(): Promise<number>;
}

/** The browser globals a Web Worker pool needs, typed locally (the package does not depend on the DOM types). */
interface WebWorkerScope {
  Worker: new (
    url: string,
  ) => { onerror: ((event: { message: string }) => void) | null; postMessage(data: unknown): void; terminate(): void };
  Blob: new (parts: string[], options: { type: string }) => object;
  URL: { createObjectURL(blob: object): string; revokeObjectURL(url: string): void };
}

type NodeWorkerConstructor = new (source: string, options: { eval: true; workerData: unknown }) => NodeWorker;

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

// Can this thread block in Atomics.wait? Node.js's main thread and workers can; a browser's main thread cannot.
function canBlock(words: Int32Array): boolean {
  try {
    Atomics.wait(words, FAILED, 12345, 0);
    return true;
  } catch {
    return false;
  }
}

/** Milliseconds a worker may take for `macs` multiply-adds before it is declared lost (assumes ≥ 0.05 GMAC/s). */
function deadlineMs(macs: number): number {
  return 1000 + macs / 5e4;
}

/** A pool of gemm workers on one shared {@link KernelInstance}. */
export class GemmThreads {
  /** Why the pool stopped, once it has. */
  failure: string | undefined;
  private readonly workers: WorkerHandle[] = [];
  private readonly blocking: boolean;

  /**
   * Starts `count` workers. `controlAt(i)` and the work regions are laid out by the caller. Workers start
   * asynchronously; until one reports alive, the caller's thread does its share.
   */
  constructor(
    private readonly kernels: KernelInstance,
    count: number,
    controlAt: (index: number) => number,
  ) {
    const NodeWorker = nodeWorkerClass();
    for (let i = 0; i < count; i++) {
      const control = controlAt(i);
      const words = new Int32Array(kernels.memory.buffer, control, 32);
      const floats = new Float32Array(kernels.memory.buffer, control, 32);
      words.fill(0);
      const data = { module: kernels.module, memory: kernels.memory, control };
      const fail = (reason: string) => this.stop(reason);
      let terminate: () => void;
      try {
        terminate = startWorker(NodeWorker, data, i, fail);
      } catch (error) {
        // No worker this time (a resource limit, a policy): the calling thread does all the work.
        this.stop(`gemm worker ${i} could not start: ${String(error)}`);
        break;
      }
      this.workers.push({ words, floats, sequence: 0, terminate });
    }
    this.blocking = canBlock(this.workers[0]?.words ?? new Int32Array(new SharedArrayBuffer(16)));
  }

  /** Workers that have started and can take a slice now (0 once the pool has failed). */
  ready(): number {
    if (this.failure !== undefined) return 0;
    let count = 0;
    for (const worker of this.workers) if (Atomics.load(worker.words, ALIVE) === 1) count++;
    return count;
  }

  /**
   * Runs `own` on the calling thread and each of `shares` on a ready worker, and returns when all are done.
   *
   * A worker never writes where anyone else reads or writes: its job (`onWorker`) targets a private area, which
   * `collect` copies into place once the worker reports it finished. A worker that fails, or misses its deadline, is
   * not waited for: the caller computes that share itself (`direct`, straight into C, which the worker never touched)
   * and the pool stops, so a late worker can only write into its own private area, which the caller then abandons.
   */
  run(own: GemmJob, shares: readonly WorkerShare[], macsPerShare: number): void {
    const { gemm } = this.kernels.exports;
    const posted: [WorkerHandle, WorkerShare][] = [];
    let next = 0;
    for (const share of shares) {
      while (next < this.workers.length && Atomics.load(this.workers[next].words, ALIVE) !== 1) next++;
      const worker = this.workers[next++];
      if (worker !== undefined && this.failure === undefined) {
        post(worker, share.onWorker);
        posted.push([worker, share]);
      } else {
        run(gemm, share.direct);
      }
    }
    run(gemm, own);
    for (const [worker, share] of posted) {
      if (this.await(worker, macsPerShare)) share.collect();
      else run(gemm, share.direct);
    }
  }

  /** Resolves with the number of ready workers once all have started, the pool has failed, or `timeoutMs` passed. */
  async started(timeoutMs = 10_000): Promise<number> {
    const deadline = now() + timeoutMs;
    while (this.failure === undefined && this.ready() < this.workers.length && now() < deadline) {
      await sleep(5);
    }
    return this.ready();
  }

  /** Stops every worker (idempotent). The pool then reports 0 ready workers. */
  stop(reason = 'stopped'): void {
    if (this.failure !== undefined) return;
    this.failure = reason;
    for (const worker of this.workers) {
      Atomics.store(worker.words, SEQUENCE, -1);
      Atomics.notify(worker.words, SEQUENCE);
      worker.terminate();
    }
  }

  private await(worker: WorkerHandle, macs: number): boolean {
    const deadline = now() + deadlineMs(macs);
    const { words, sequence } = worker;
    while (Atomics.load(words, DONE) !== sequence) {
      const left = deadline - now();
      if (left <= 0 || this.failure !== undefined) {
        this.stop(this.failure ?? `a gemm worker missed its ${deadlineMs(macs).toFixed(0)} ms deadline`);
        return false;
      }
      // Poll for up to POLL_MS: the worker usually finishes within tens of microseconds of the caller, and a wake-up
      // from Atomics.wait takes about as long again. Past that, sleep in short waits until the deadline.
      if (left > deadlineMs(macs) - POLL_MS) {
        for (let spin = 0; spin < 256 && Atomics.load(words, DONE) !== sequence; spin++);
      } else if (this.blocking) {
        Atomics.wait(words, DONE, sequence - 1, Math.min(left, 1));
      }
    }
    if (Atomics.load(words, FAILED) !== 0) {
      this.stop('a gemm worker reported an error');
      return false;
    }
    return true;
  }
}

function post(worker: WorkerHandle, job: GemmJob): void {
  const { words, floats } = worker;
  const w = ARGUMENTS;
  words[w] = job.transA;
  words[w + 1] = job.transB;
  words[w + 2] = job.m;
  words[w + 3] = job.n;
  words[w + 4] = job.k;
  floats[w + 5] = job.alpha;
  words[w + 6] = job.a;
  words[w + 7] = job.lda;
  words[w + 8] = job.b;
  words[w + 9] = job.ldb;
  floats[w + 10] = job.beta;
  words[w + 11] = job.c;
  words[w + 12] = job.ldc;
  words[w + 13] = job.work;
  worker.sequence++;
  // The release store orders the argument writes before the worker's acquire load of SEQUENCE.
  Atomics.store(words, SEQUENCE, worker.sequence);
  Atomics.notify(words, SEQUENCE);
}

function run(gemm: KernelInstance['exports']['gemm'], job: GemmJob): void {
  gemm(
    job.transA,
    job.transB,
    job.m,
    job.n,
    job.k,
    job.alpha,
    job.a,
    job.lda,
    job.b,
    job.ldb,
    job.beta,
    job.c,
    job.ldc,
    job.work,
  );
}

/** Starts one worker on `data` (Node.js worker thread, else Web Worker) and returns how to terminate it. */
function startWorker(
  NodeWorker: NodeWorkerConstructor | undefined,
  data: object,
  index: number,
  fail: (reason: string) => void,
): () => void {
  if (NodeWorker !== undefined) {
    const worker = new NodeWorker(WORKER_SOURCE, { eval: true, workerData: data });
    // A pool must never keep a finished program alive.
    worker.unref();
    worker.on('error', (error) => fail(`gemm worker ${index} failed: ${String(error)}`));
    worker.on('exit', (code) => fail(`gemm worker ${index} exited with code ${String(code)}`));
    return () => void worker.terminate();
  }
  const web = globalThis as unknown as WebWorkerScope;
  const url = web.URL.createObjectURL(new web.Blob([WORKER_SOURCE], { type: 'text/javascript' }));
  const worker = new web.Worker(url);
  web.URL.revokeObjectURL(url);
  worker.onerror = (event) => fail(`gemm worker ${index} failed: ${event.message}`);
  worker.postMessage(data);
  return () => worker.terminate();
}
