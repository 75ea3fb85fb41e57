import type { KernelInstance } from './kernels.js';
import { now, sleep } from './platform.js';

// The protocol between the calling thread and its workers is described on WorkerPool, below.

const SEQUENCE = 0;
const DONE = 1;
const ALIVE = 2;
const FAILED = 3;
const CLAIM = 4;
/** Word 5 holds the job's kind; words 6 … 19 its arguments in the kernel's parameter order (floats as float32 bits). */
const KIND = 5;
const ARGUMENTS = 6;
const GEMM = 1;
const MOMENTUM = 2;
const FILL = 3;
/** Milliseconds the calling thread polls for a worker to finish before it sleeps. */
const POLL_MS = 2;
/** Milliseconds an idle worker polls for its next job before it sleeps. */
const SPIN_MS = 2;
/** Bytes of one control block. */
export const CONTROL_BYTES = 128;

/** A gemm call as the kernel takes it: byte pointers into the shared memory. */
export interface GemmJob {
  kind: 'gemm';
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

/** A momentum update as the kernel takes it: `n` elements of three arrays, byte pointers into the shared memory. */
export interface MomentumJob {
  kind: 'momentum';
  n: number;
  learningRate: number;
  momentum: number;
  gradScale: number;
  nesterov: number;
  g: number;
  velocity: number;
  theta: number;
}

/** A fill as the kernel takes it: `n` elements at byte pointer `out` in the shared memory set to `value`. */
export interface FillJob {
  kind: 'fill';
  n: number;
  value: number;
  out: number;
}

/** One share of a kernel call, run by a worker or by the calling thread. */
export type KernelJob = GemmJob | MomentumJob | FillJob;

/**
 * How long the pool waits for a worker, in milliseconds: `base + cost / costPerMs` for a share of `cost` (multiply-adds
 * of a gemm, elements of an update). `claim` bounds the wait for a worker to take its job, `finish` the wait for a
 * worker that has taken one.
 */
export interface PoolDeadlines {
  claimBaseMs: number;
  finishBaseMs: number;
  costPerMs: number;
}

/** A worker that claims a job within a second does it; one that claims but stalls gets half a minute to finish. */
const DEFAULT_DEADLINES: PoolDeadlines = { claimBaseMs: 1000, finishBaseMs: 30_000, costPerMs: 5e4 };

/**
 * A worker thread claimed a share of a kernel call and did not finish it in time, or failed in the middle of it: the
 * arrays that share writes (its block of a gemm's C, its range of the parameters and velocity of a momentum update)
 * are in an unknown state. The worker threads are retired; later kernel calls run on the calling thread.
 */
export class WorkerThreadError extends Error {
  override readonly name = 'WorkerThreadError';
}

// The worker's whole program. It is a string so the package ships no separate file to resolve: Node.js evaluates it
// (`eval: true`), browsers load it from a Blob URL. `start` receives the module, the memory and its control block.
const WORKER_SOURCE = `
'use strict';
function start({ module, memory, control }) {
  const { gemm, momentum_update, fill } = new WebAssembly.Instance(module, { env: { memory } }).exports;
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
    if (sequence === seen) continue;
    seen = sequence;
    // Claim the job; if the caller got there first (this worker was too slow), it is the caller's now.
    if (Atomics.compareExchange(words, ${CLAIM}, sequence - 1, sequence) !== sequence - 1) continue;
    const w = ${ARGUMENTS};
    try {
      if (words[${KIND}] === ${GEMM}) {
        gemm(words[w], words[w + 1], words[w + 2], words[w + 3], words[w + 4], floats[w + 5], words[w + 6],
          words[w + 7], words[w + 8], words[w + 9], floats[w + 10], words[w + 11], words[w + 12], words[w + 13]);
      } else if (words[${KIND}] === ${MOMENTUM}) {
        momentum_update(words[w], floats[w + 1], floats[w + 2], floats[w + 3], words[w + 4], words[w + 5],
          words[w + 6], words[w + 7]);
      } else {
        fill(words[w], floats[w + 1], words[w + 2]);
      }
    } catch {
      Atomics.store(words, ${FAILED}, 1);
    }
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

/**
 * Worker threads that run shares of a kernel call (a block of a gemm's C, a range of a momentum update) on the same
 * shared WebAssembly memory as the calling thread.
 *
 * Each worker owns a 32-word control block in that memory. The calling thread writes a job into it, bumps `SEQUENCE`
 * and wakes the worker with `Atomics.notify`. Before running a job the worker claims it, moving `CLAIM` from the
 * previous sequence number to this one with a compare-and-exchange; it then runs the kernel in place and publishes the
 * sequence number in `DONE`. The claim is what keeps a slow worker and the caller from both writing one share:
 *
 * - a worker that has not claimed its job by the deadline loses it: the caller claims it instead (the same
 *   compare-and-exchange, which only one side can win), computes the share itself, and retires the pool; the product
 *   is still complete and identical;
 * - a worker that has claimed its job is waited for, up to a much longer deadline. Only past that one, a worker stalled
 *   in the middle of writing its share (which nobody can redo: a momentum update is not idempotent), does the call
 *   throw a {@link WorkerThreadError}; it never returns a result it cannot vouch for, and it never hangs.
 *
 * A worker that has not reported `ALIVE` gets no work, and once the pool has failed every share runs on the caller.
 *
 * One pool runs on one shared {@link KernelInstance}.
 */
export class WorkerPool {
  /** Why the pool stopped, once it has. */
  failure: string | undefined;
  private readonly workers: WorkerHandle[] = [];
  private readonly blocking: boolean;

  /**
   * Starts `count` workers. `controlAt(i)` and the gemm work regions are laid out by the caller. Workers start
   * asynchronously; until one reports alive, the caller's thread does its share.
   */
  constructor(
    private readonly kernels: KernelInstance,
    count: number,
    controlAt: (index: number) => number,
    private readonly deadlines: PoolDeadlines = DEFAULT_DEADLINES,
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
        this.stop(`worker ${i} could not start: ${String(error)}`);
        break;
      }
      this.workers.push({ words, floats, sequence: 0, terminate });
    }
    this.blocking = canBlock(this.workers[0]?.words ?? new Int32Array(new SharedArrayBuffer(16)));
  }

  /** Workers that have started and can take a share now (0 once the pool has failed). */
  ready(): number {
    if (this.failure !== undefined) return 0;
    let count = 0;
    for (const worker of this.workers) if (Atomics.load(worker.words, ALIVE) === 1) count++;
    return count;
  }

  /**
   * Runs `own` on the calling thread and each of `shares` on a ready worker, and returns when all are done. The jobs
   * must write disjoint memory. `cost` is one share's size (multiply-adds or elements), which scales the deadlines.
   *
   * A share whose worker does not claim it in time is run by the caller, and the pool retires. A share whose worker
   * claims it but does not finish it in time, or fails in it, throws a {@link WorkerThreadError} once every other
   * share is accounted for.
   */
  run(own: KernelJob, shares: readonly KernelJob[], cost: number): void {
    const posted: [WorkerHandle, KernelJob][] = [];
    let next = 0;
    for (const share of shares) {
      while (next < this.workers.length && Atomics.load(this.workers[next].words, ALIVE) !== 1) next++;
      const worker = this.workers[next++];
      if (worker !== undefined && this.failure === undefined) {
        post(worker, share);
        posted.push([worker, share]);
      } else {
        runJob(this.kernels, share);
      }
    }
    let lost: WorkerThreadError | undefined;
    try {
      runJob(this.kernels, own);
    } finally {
      // Every posted share is accounted for before returning, even when the caller's own share threw: none may still
      // be writing when the caller reuses its memory. A failure only marks the pool during the waits; the workers are
      // told to stop after them, so one failure never cuts short another worker's share.
      for (const [worker, share] of posted) {
        const outcome = this.await(worker, cost);
        if (outcome === 'reclaimed') runJob(this.kernels, share);
        else if (outcome !== 'done') lost ??= outcome;
      }
      if (this.failure !== undefined) this.retire();
    }
    if (lost) throw lost;
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
    this.fail(reason);
    this.retire();
  }

  /** Marks the pool failed (the first reason sticks): nothing more is posted to it. */
  private fail(reason: string): void {
    this.failure ??= reason;
  }

  /** Tells every worker to leave its loop, and terminates it. */
  private retire(): void {
    for (const worker of this.workers) {
      if (Atomics.load(worker.words, SEQUENCE) === -1) continue;
      Atomics.store(worker.words, SEQUENCE, -1);
      Atomics.notify(worker.words, SEQUENCE);
      worker.terminate();
    }
  }

  /**
   * Waits for `worker`'s current job: 'done', 'reclaimed' when the worker had not claimed it by the claim deadline
   * (the caller now owns it), or the error to throw when it claimed the job and then failed or stalled.
   */
  private await(worker: WorkerHandle, cost: number): 'done' | 'reclaimed' | WorkerThreadError {
    const { claimBaseMs, costPerMs } = this.deadlines;
    // A thread that cannot block (a browser's main thread) spins while it waits: it gives a stalled worker less time.
    const finishBaseMs = this.blocking ? this.deadlines.finishBaseMs : Math.min(this.deadlines.finishBaseMs, 3000);
    const { words, sequence } = worker;
    const started = now();
    let deadline = started + claimBaseMs + cost / costPerMs;
    let claimed = false;
    while (Atomics.load(words, DONE) !== sequence) {
      const time = now();
      // Once the pool has failed (another worker of this call), a job not yet claimed is taken back at once.
      if (time >= deadline || (!claimed && this.failure !== undefined)) {
        if (!claimed) {
          if (Atomics.compareExchange(words, CLAIM, sequence - 1, sequence) === sequence - 1) {
            this.fail(`a worker did not take its share within ${(time - started).toFixed(0)} ms`);
            return 'reclaimed';
          }
          // Taken: the worker is writing its share, which only it can finish. Give it the long deadline.
          claimed = true;
          deadline = started + finishBaseMs + cost / costPerMs;
          continue;
        }
        const reason = `a worker took its share of a kernel call and did not finish it within ${(time - started).toFixed(0)} ms`;
        this.fail(reason);
        return new WorkerThreadError(`${reason}; the arrays that share writes are incomplete`);
      }
      // Poll for up to POLL_MS: the worker usually finishes within tens of microseconds of the caller, and a wake-up
      // from Atomics.wait takes about as long again. Past that, sleep in short waits until the deadline.
      if (time - started < POLL_MS) {
        for (let spin = 0; spin < 256 && Atomics.load(words, DONE) !== sequence; spin++);
      } else if (this.blocking) {
        Atomics.wait(words, DONE, sequence - 1, Math.min(deadline - time, 1));
      }
    }
    if (Atomics.load(words, FAILED) !== 0) {
      const reason = 'a worker failed in the middle of its share of a kernel call';
      this.fail(reason);
      return new WorkerThreadError(`${reason}; the arrays that share writes are incomplete`);
    }
    return 'done';
  }
}

function post(worker: WorkerHandle, job: KernelJob): void {
  const { words, floats } = worker;
  const w = ARGUMENTS;
  if (job.kind === 'gemm') {
    words[KIND] = GEMM;
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
  } else if (job.kind === 'fill') {
    words[KIND] = FILL;
    words[w] = job.n;
    floats[w + 1] = job.value;
    words[w + 2] = job.out;
  } else {
    words[KIND] = MOMENTUM;
    words[w] = job.n;
    floats[w + 1] = job.learningRate;
    floats[w + 2] = job.momentum;
    floats[w + 3] = job.gradScale;
    words[w + 4] = job.nesterov;
    words[w + 5] = job.g;
    words[w + 6] = job.velocity;
    words[w + 7] = job.theta;
  }
  worker.sequence++;
  // The release store orders the argument writes before the worker's acquire load of SEQUENCE.
  Atomics.store(words, SEQUENCE, worker.sequence);
  Atomics.notify(words, SEQUENCE);
}

/** Runs `job` on the calling thread. */
export function runJob(kernels: KernelInstance, job: KernelJob): void {
  const { exports } = kernels;
  if (job.kind === 'gemm') {
    exports.gemm(
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
  } else if (job.kind === 'fill') {
    exports.fill(job.n, job.value, job.out);
  } else {
    exports.momentum_update(
      job.n,
      job.learningRate,
      job.momentum,
      job.gradScale,
      job.nesterov,
      job.g,
      job.velocity,
      job.theta,
    );
  }
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
    worker.on('error', (error) => fail(`kernel worker ${index} failed: ${String(error)}`));
    worker.on('exit', (code) => fail(`kernel worker ${index} exited with code ${String(code)}`));
    return () => void worker.terminate();
  }
  const web = globalThis as unknown as WebWorkerScope;
  const url = web.URL.createObjectURL(new web.Blob([WORKER_SOURCE], { type: 'text/javascript' }));
  const worker = new web.Worker(url);
  web.URL.revokeObjectURL(url);
  worker.onerror = (event) => fail(`kernel worker ${index} failed: ${event.message}`);
  worker.postMessage(data);
  return () => worker.terminate();
}
