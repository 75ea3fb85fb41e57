import type { KernelInstance } from './kernels.js';
import { now, sleep } from './platform.js';

// The protocol between the calling thread and its workers is described on WorkerPool, below.

const SEQUENCE = 0;
const DONE = 1;
const ALIVE = 2;
const FAILED = 3;
const CLAIM = 4;
/** Counts up while a worker runs a share (its heartbeat): see {@link WorkerPool}. */
const PROGRESS = 5;
const KIND = 6;
/** The job's arguments start here, laid out by {@link JOB_LAYOUTS}. */
const ARGUMENTS = 7;
/** Milliseconds the calling thread polls for a worker to finish before it sleeps. */
const POLL_MS = 2;
/** Milliseconds an idle worker polls for its next job before it sleeps. */
const SPIN_MS = 2;
/**
 * The most that one look of the waiting caller counts towards a worker's silence. The caller looks at least every
 * millisecond; a longer gap means the caller itself was not running (descheduled on a busy machine, or the computer
 * was asleep), and then so may the worker have been, which is no sign of a dead thread.
 */
const MAX_COUNTED_GAP_MS = 50;
/**
 * Elements of a momentum update or fill that a worker runs between two heartbeats: tens of microseconds of work, and
 * a multiple of 16 floats, so every chunk but the last is whole vectors and the arithmetic of each element is as
 * unchunked.
 */
const CHUNK_ELEMENTS = 1 << 16;
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
 * How an argument word is read: an `int`, a float32 (`float`), the element count of a job a worker runs in chunks
 * (`count`), or the byte offset of an array of float32 elements that a chunk advances (`array`).
 */
type ArgumentKind = 'int' | 'float' | 'count' | 'array';

/** A job kind's code in the `KIND` word, its kernel, and its fields in the kernel's parameter order. */
interface JobLayout<Job extends KernelJob> {
  code: number;
  kernel: 'gemm' | 'momentum_update' | 'fill';
  fields: readonly (readonly [Exclude<keyof Job, 'kind'>, ArgumentKind])[];
}

/**
 * The argument words of each job kind, read by both sides: {@link post} writes a job's fields in this order from word
 * `ARGUMENTS` on, and the worker's program is generated from it. A gemm reports progress from inside its kernel; the
 * elementwise jobs, which have a `count`, are run in chunks of {@link CHUNK_ELEMENTS} with a heartbeat between.
 */
const JOB_LAYOUTS: { [Kind in KernelJob['kind']]: JobLayout<Extract<KernelJob, { kind: Kind }>> } = {
  gemm: {
    code: 1,
    kernel: 'gemm',
    fields: [
      ['transA', 'int'],
      ['transB', 'int'],
      ['m', 'int'],
      ['n', 'int'],
      ['k', 'int'],
      ['alpha', 'float'],
      ['a', 'int'],
      ['lda', 'int'],
      ['b', 'int'],
      ['ldb', 'int'],
      ['beta', 'float'],
      ['c', 'int'],
      ['ldc', 'int'],
      ['work', 'int'],
    ],
  },
  momentum: {
    code: 2,
    kernel: 'momentum_update',
    fields: [
      ['n', 'count'],
      ['learningRate', 'float'],
      ['momentum', 'float'],
      ['gradScale', 'float'],
      ['nesterov', 'int'],
      ['g', 'array'],
      ['velocity', 'array'],
      ['theta', 'array'],
    ],
  },
  fill: {
    code: 3,
    kernel: 'fill',
    fields: [
      ['n', 'count'],
      ['value', 'float'],
      ['out', 'array'],
    ],
  },
};

/**
 * How long the pool waits for a worker, in milliseconds. Neither depends on the size of a share: a worker claims its
 * job within microseconds when it is alive, and a running share publishes a heartbeat every few microseconds.
 */
export interface PoolDeadlines {
  /** The longest wait for a worker to claim its job; past it, the caller takes the job back and runs it itself. */
  claimMs: number;
  /** The longest a claimed share may go without a heartbeat before its worker is given up as dead or hung. */
  stallMs: number;
}

/**
 * A second each. A healthy worker that the operating system deschedules still runs many times a second, so a
 * second of silence means a thread that died or hung, whatever the product.
 */
const DEFAULT_DEADLINES: PoolDeadlines = { claimMs: 1000, stallMs: 1000 };

/** Options of {@link WorkerPool}. */
export interface WorkerPoolOptions {
  /** Overrides of the {@link PoolDeadlines} (tests shorten them). */
  deadlines?: Partial<PoolDeadlines>;
  /**
   * The source of a function `(kernels, memory) => kernels` that each worker applies to its kernel exports before its
   * loop starts, returning the kernels it then calls: tests wrap them to make a worker die, hang or pause in the middle
   * of a share. Default: none.
   */
  wrapKernels?: string;
}

/**
 * A worker thread claimed a share of a kernel call and then failed in it, or stopped making progress (its thread died
 * or hung): the arrays that share writes (its block of a gemm's C, its range of the parameters and velocity of a
 * momentum update) are in an unknown state. The worker threads are retired; later kernel calls run on the calling
 * thread.
 */
export class WorkerThreadError extends Error {
  override readonly name = 'WorkerThreadError';
}

/** The expressions that pass a layout's argument words to its kernel, within a chunk at `start` of `count`. */
function argumentList(layout: JobLayout<KernelJob>): string {
  return layout.fields
    .map(([, kind], i) => {
      const word = ARGUMENTS + i;
      if (kind === 'float') return `floats[${word}]`;
      if (kind === 'count') return 'count';
      if (kind === 'array') return `words[${word}] + 4 * start`;
      return `words[${word}]`;
    })
    .join(', ');
}

/** The worker's function for one job kind, generated from its layout. */
function jobRunner(layout: JobLayout<KernelJob>): string {
  const countAt = layout.fields.findIndex(([, kind]) => kind === 'count');
  if (countAt < 0) {
    // The kernel takes the heartbeat's address and beats itself.
    return `${layout.code}: () => kernels.${layout.kernel}(${argumentList(layout)}, progress)`;
  }
  return `${layout.code}: () => {
      const n = words[${ARGUMENTS + countAt}];
      for (let start = 0; start < n; start += ${CHUNK_ELEMENTS}) {
        const count = Math.min(${CHUNK_ELEMENTS}, n - start);
        kernels.${layout.kernel}(${argumentList(layout)});
        Atomics.add(words, ${PROGRESS}, 1);
      }
    }`;
}

/**
 * The worker's whole program. It is a string so the package ships no separate file to resolve: Node.js evaluates it
 * (`eval: true`), browsers load it from a Blob URL. `start` receives the module, the memory and its control block.
 */
function workerSource(wrapKernels = '(kernels) => kernels'): string {
  const layouts = Object.values(JOB_LAYOUTS) as JobLayout<KernelJob>[];
  return `
'use strict';
const wrapKernels = (${wrapKernels});
function start({ module, memory, control }) {
  const kernels = wrapKernels(new WebAssembly.Instance(module, { env: { memory } }).exports, memory);
  const words = new Int32Array(memory.buffer, control, 32);
  const floats = new Float32Array(memory.buffer, control, 32);
  const progress = control + ${4 * PROGRESS};
  const jobs = {
    ${layouts.map(jobRunner).join(',\n    ')}
  };
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
    try {
      jobs[words[${KIND}]]();
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
}

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
 * sequence number in `DONE`. While it runs, it increments `PROGRESS`: the gemm kernel after every row tile, an
 * elementwise job between chunks. The claim is what keeps a slow worker and the caller from both writing one share,
 * and the heartbeat is what tells a long share from a lost one:
 *
 * - a worker that has not claimed its job within `claimMs` loses it: the caller claims it instead (the same
 *   compare-and-exchange, which only one side can win), computes the share itself, and retires the pool; the product
 *   is still complete and identical;
 * - a worker that has claimed its job is waited for as long as its heartbeat moves, however long the share takes. A
 *   worker whose heartbeat stops for `stallMs` has died or hung in the middle of writing its share (which nobody can
 *   redo: a momentum update is not idempotent), and so has one that fails in it: the call throws a
 *   {@link WorkerThreadError} once every other share is done; it never returns a result it cannot vouch for, and it
 *   never hangs. The heartbeat is in shared memory because nothing else can tell: while the caller blocks, a dead
 *   worker's `exit` event cannot run.
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
  private readonly deadlines: PoolDeadlines;

  /**
   * Starts `count` workers. `controlAt(i)` and the gemm work regions are laid out by the caller. Workers start
   * asynchronously; until one reports alive, the caller's thread does its share.
   */
  constructor(
    private readonly kernels: KernelInstance,
    count: number,
    controlAt: (index: number) => number,
    options: WorkerPoolOptions = {},
  ) {
    this.deadlines = { ...DEFAULT_DEADLINES, ...options.deadlines };
    const NodeWorker = nodeWorkerClass();
    const source = workerSource(options.wrapKernels);
    for (let i = 0; i < count; i++) {
      const control = controlAt(i);
      const words = new Int32Array(kernels.memory.buffer, control, 32);
      const floats = new Float32Array(kernels.memory.buffer, control, 32);
      words.fill(0);
      const data = { module: kernels.module, memory: kernels.memory, control };
      const fail = (reason: string) => this.stop(reason);
      let terminate: () => void;
      try {
        terminate = startWorker(NodeWorker, source, data, i, fail);
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
   * must write disjoint memory.
   *
   * A share whose worker does not claim it in time is run by the caller, and the pool retires. A share whose worker
   * claims it and then fails in it, or stops making progress, throws a {@link WorkerThreadError} once every other
   * share is done.
   */
  run(own: KernelJob, shares: readonly KernelJob[]): void {
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
        const outcome = this.await(worker);
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
   * Waits for `worker`'s current job: 'done', 'reclaimed' when the worker had not claimed it within `claimMs` (the
   * caller now owns it), or the error to throw when it claimed the job and then failed, or let `stallMs` pass without
   * a heartbeat.
   */
  private await(worker: WorkerHandle): 'done' | 'reclaimed' | WorkerThreadError {
    const { claimMs, stallMs } = this.deadlines;
    const { words, sequence } = worker;
    const started = now();
    let looked = started;
    // Milliseconds without a sign of life since the claim or the last heartbeat, each look counting at most
    // MAX_COUNTED_GAP_MS: so a sleeping computer or a starved caller does not condemn a worker, yet under any load a
    // dead one is found after a bounded number of looks.
    let silent = 0;
    let beat = Atomics.load(words, PROGRESS);
    let claimed = Atomics.load(words, CLAIM) === sequence;
    while (Atomics.load(words, DONE) !== sequence) {
      const time = now();
      const gap = Math.min(time - looked, MAX_COUNTED_GAP_MS);
      looked = time;
      if (!claimed) {
        // Once the pool has failed (another worker of this call), a job not yet claimed is taken back at once.
        if (time - started >= claimMs || this.failure !== undefined) {
          if (Atomics.compareExchange(words, CLAIM, sequence - 1, sequence) === sequence - 1) {
            this.fail(`a worker did not take its share within ${(time - started).toFixed(0)} ms`);
            return 'reclaimed';
          }
        }
        claimed = Atomics.load(words, CLAIM) === sequence;
      } else {
        const current = Atomics.load(words, PROGRESS);
        const still = current === beat;
        silent = still ? silent + gap : 0;
        beat = current;
        if (still && silent >= stallMs) {
          const reason =
            'a worker took its share of a kernel call and then made no progress for ' +
            `${silent.toFixed(0)} ms (its thread died or hung)`;
          this.fail(reason);
          return new WorkerThreadError(`${reason}; the arrays that share writes are incomplete`);
        }
      }
      // Poll for up to POLL_MS: the worker usually finishes within tens of microseconds of the caller, and a wake-up
      // from Atomics.wait takes about as long again. Past that, sleep in waits of a millisecond, looking at the
      // heartbeat between them. A thread that cannot block (a browser's main thread) keeps polling.
      if (time - started < POLL_MS || !this.blocking) {
        for (let spin = 0; spin < 256 && Atomics.load(words, DONE) !== sequence; spin++);
      } else {
        Atomics.wait(words, DONE, sequence - 1, 1);
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
  const layout = JOB_LAYOUTS[job.kind] as JobLayout<KernelJob>;
  const values = job as unknown as Record<string, number>;
  words[KIND] = layout.code;
  for (let i = 0; i < layout.fields.length; i++) {
    const [name, kind] = layout.fields[i];
    if (kind === 'float') floats[ARGUMENTS + i] = values[name];
    else words[ARGUMENTS + i] = values[name];
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
      0,
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

/** Starts one worker running `source` on `data` (Node.js worker thread, else Web Worker); returns how to end it. */
function startWorker(
  NodeWorker: NodeWorkerConstructor | undefined,
  source: string,
  data: object,
  index: number,
  fail: (reason: string) => void,
): () => void {
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
