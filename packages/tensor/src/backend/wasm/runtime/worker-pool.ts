import { moduleTuning } from '../tuning.js';
import { CONTROL_WORDS, type KernelJob, runJob, WORD, writeJob } from './job-table.js';
import type { KernelInstance } from './kernel-instance.js';
import { now, sleep } from './platform.js';
import { type WorkerData, workerProgram } from './worker-program.js';
import { canBlock, startWorker } from './worker-threads.js';

const { SEQUENCE, DONE, ALIVE, FAILED, CLAIM, PROGRESS } = WORD;

/** Options of {@link WorkerPool}. */
export interface WorkerPoolOptions {
  /**
   * The source of a function `(kernels, memory) => kernels` that each worker applies to its kernel exports before its
   * loop starts (see `workerProgram`): tests wrap them to make a worker die, hang or pause. Default: none.
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

interface WorkerHandle {
  words: Int32Array;
  floats: Float32Array;
  sequence: number;
  /** When the caller first took back a share this worker had not claimed, since the worker last claimed one. */
  unclaimedSince?: number;
  terminate(): void;
}

/**
 * Worker threads that run shares of a kernel call (a block of a gemm's C, a range of a momentum update) on the same
 * shared WebAssembly memory as the calling thread.
 *
 * Each worker owns a control block of 32 words in that memory (laid out in `job-table.ts`). The calling thread writes
 * a job into it, bumps `SEQUENCE` and wakes the worker with `Atomics.notify`. Before running a job the worker claims
 * it, moving `CLAIM` from the previous sequence number to this one with a compare-and-exchange; it then runs the kernel
 * in place and publishes the sequence number in `DONE`. While it runs, it increments `PROGRESS`: the gemm kernel after
 * every row tile, an elementwise job between chunks. The claim is what keeps a slow worker and the caller from both
 * writing one share, and the heartbeat is what tells a long share from a lost one:
 *
 * - a worker that has not claimed its job within `CLAIM_GRACE_MS` of the caller finishing its own share loses it: the caller claims
 *   it instead (the same compare-and-exchange, which only one side can win) and computes it itself; the result is
 *   identical. A spinning worker claims within a microsecond of the post; one that has not is waiting for a core (a
 *   busy machine), and waiting for it would cost a scheduler time slice, milliseconds, for a share of microseconds.
 *   A worker that has claimed no share for `CLAIM_DEADLINE_MS` while shares were posted to it is taken for lost, and
 *   the pool retires;
 * - a worker that has claimed its job is waited for as long as its heartbeat moves, however long the share takes. A
 *   worker whose heartbeat stops for `STALL_DEADLINE_MS` has died or hung in the middle of writing its share (which
 *   nobody can redo: a momentum update is not idempotent), and so has one that fails in it: the call throws a
 *   {@link WorkerThreadError} once every other share is done; it never returns a result it cannot vouch for, and it
 *   never hangs. The heartbeat is in shared memory because nothing else can tell: while the caller blocks, a dead
 *   worker's `exit` event cannot run.
 *
 * A worker that has not reported `ALIVE` gets no work, and once the pool has failed every share runs on the caller.
 * The deadlines and polling come from the instance's tuning.
 */
export class WorkerPool {
  /** Why the pool stopped, once it has. */
  failure: string | undefined;
  private readonly workers: WorkerHandle[] = [];
  /** Shares the caller took back from a worker that had not claimed them in time (and ran itself). */
  sharesTakenBack = 0;
  /** Calls after which the pool held back from sharing, because the caller had waited long for a worker. */
  heldBack = 0;
  /** Until when (see `now`) {@link WorkerPool.available} reports no worker, and how long the last such pause was. */
  private holdUntil = 0;
  private hold = 0;
  private readonly blocking = canBlock();

  /**
   * Starts `count` workers on the shared instance `kernels`, worker `i` with its control block at byte `controlAt(i)`.
   * Workers start asynchronously; until one reports alive, the caller's thread does its share.
   */
  constructor(
    private readonly kernels: KernelInstance,
    count: number,
    controlAt: (index: number) => number,
    options: WorkerPoolOptions = {},
  ) {
    const source = workerProgram(kernels.tuning, options.wrapKernels);
    const tuning = moduleTuning(kernels.tuning);
    for (let i = 0; i < count; i++) {
      const control = controlAt(i);
      const words = new Int32Array(kernels.memory.buffer, control, CONTROL_WORDS);
      const floats = new Float32Array(kernels.memory.buffer, control, CONTROL_WORDS);
      words.fill(0);
      const data: WorkerData = { module: kernels.module, memory: kernels.memory, control, tuning };
      let terminate: () => void;
      try {
        terminate = startWorker(source, data, i, (reason) => this.stop(reason));
      } catch (error) {
        // No worker this time (a resource limit, a policy): the calling thread does all the work.
        this.stop(`worker ${i} could not start: ${String(error)}`);
        break;
      }
      this.workers.push({ words, floats, sequence: 0, terminate });
    }
  }

  /**
   * Workers to share the next call with: those {@link WorkerPool.ready}, or none while the pool holds back after calls
   * in which the caller waited long for them (another program has the other core; see `THREAD_BACKOFF_MS`).
   */
  available(): number {
    return now() < this.holdUntil ? 0 : this.ready();
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
        runJob(this.kernels.exports, share);
      }
    }
    let lost: WorkerThreadError | undefined;
    const began = now();
    let ownDone = began;
    try {
      runJob(this.kernels.exports, own);
      ownDone = now();
    } finally {
      // Every posted share is accounted for before returning, even when the caller's own share threw: none may still
      // be writing when the caller reuses its memory. A failure only marks the pool during the waits; the workers are
      // told to stop after them, so one failure never cuts short another worker's share.
      for (const [worker, share] of posted) {
        const outcome = this.await(worker);
        if (outcome === 'reclaimed') runJob(this.kernels.exports, share);
        else if (outcome !== 'done') lost ??= outcome;
      }
      if (this.failure !== undefined) this.retire();
    }
    if (lost) throw lost;
    if (posted.length > 0) this.pace(ownDone - began, now() - ownDone);
  }

  /**
   * After a shared call: when the caller waited for the workers more than twice as long as its own share took, and
   * more than `THREAD_LATE_MS`, a worker was denied a core, so sharing costs more than it saves: hold back for a while, twice as
   * long each time it happens again (up to `THREAD_BACKOFF_MS.max`), and halve the pause after each call that went
   * well. Sharing never changes a result, so neither does this.
   */
  private pace(ownMs: number, waitedMs: number): void {
    const { THREAD_LATE_MS, THREAD_BACKOFF_MS } = this.kernels.tuning;
    if (waitedMs > Math.max(THREAD_LATE_MS, 2 * ownMs)) {
      this.hold = Math.min(THREAD_BACKOFF_MS.max, Math.max(THREAD_BACKOFF_MS.min, 2 * this.hold));
      this.holdUntil = now() + this.hold;
      this.heldBack++;
    } else {
      this.hold = this.hold / 2 < THREAD_BACKOFF_MS.min ? 0 : this.hold / 2;
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
   * Waits for `worker`'s current job: 'done', 'reclaimed' when the worker had not claimed it yet (the caller now owns
   * it), or the error to throw when it claimed the job and then failed, or let the stall deadline pass without a
   * heartbeat.
   */
  private await(worker: WorkerHandle): 'done' | 'reclaimed' | WorkerThreadError {
    const { CLAIM_GRACE_MS, CLAIM_DEADLINE_MS, STALL_DEADLINE_MS, MAX_COUNTED_GAP_MS } = this.kernels.tuning;
    const { words, sequence } = worker;
    const started = now();
    let looked = started;
    // Milliseconds without a sign of life since the claim or the last heartbeat, each look counting at most
    // MAX_COUNTED_GAP_MS: so a sleeping computer or a starved caller does not condemn a worker, yet under any load a
    // dead one is found after a bounded number of looks.
    let silent = 0;
    let beat = Atomics.load(words, PROGRESS);
    // The caller has done its own share: a share the worker has not started within the grace is the caller's (see the
    // class notes). A worker woken from a wait takes some tens of microseconds to claim; one denied a core, milliseconds.
    while (Atomics.load(words, CLAIM) !== sequence && now() - started < CLAIM_GRACE_MS && this.failure === undefined);
    if (Atomics.compareExchange(words, CLAIM, sequence - 1, sequence) === sequence - 1) {
      this.sharesTakenBack++;
      worker.unclaimedSince ??= started;
      const idle = started - worker.unclaimedSince;
      if (idle >= CLAIM_DEADLINE_MS) this.fail(`a worker did not take its share of any call for ${idle.toFixed(0)} ms`);
      return 'reclaimed';
    }
    worker.unclaimedSince = undefined;
    while (Atomics.load(words, DONE) !== sequence) {
      const time = now();
      const gap = Math.min(time - looked, MAX_COUNTED_GAP_MS);
      looked = time;
      const current = Atomics.load(words, PROGRESS);
      const still = current === beat;
      silent = still ? silent + gap : 0;
      beat = current;
      if (still && silent >= STALL_DEADLINE_MS) {
        return this.lost(
          `a worker took its share of a kernel call and then made no progress for ${silent.toFixed(0)} ms ` +
            '(its thread died or hung)',
        );
      }
      this.pause(words, sequence, time - started);
    }
    if (Atomics.load(words, FAILED) !== 0)
      return this.lost('a worker failed in the middle of its share of a kernel call');
    return 'done';
  }

  /**
   * Waits a little for `DONE` to reach `sequence`: polls for the first `CALLER_POLL_MS` (a worker usually finishes
   * soon after the caller, sooner than a wake-up from a wait takes), then sleeps in waits of a millisecond, so the
   * heartbeat is looked at between them. A thread that cannot block (a browser's main thread) keeps polling.
   */
  private pause(words: Int32Array, sequence: number, waited: number): void {
    const { CALLER_POLL_MS, SPIN_CHECKS } = this.kernels.tuning;
    if (waited < CALLER_POLL_MS || !this.blocking) {
      for (let spin = 0; spin < SPIN_CHECKS && Atomics.load(words, DONE) !== sequence; spin++);
    } else {
      Atomics.wait(words, DONE, sequence - 1, 1);
    }
  }

  /** Fails the pool for a worker lost in the middle of its share, and returns the error the call throws. */
  private lost(reason: string): WorkerThreadError {
    this.fail(reason);
    return new WorkerThreadError(`${reason}; the arrays that share writes are incomplete`);
  }
}

/** Writes `job` into `worker`'s control block and wakes it. */
function post(worker: WorkerHandle, job: KernelJob): void {
  writeJob(worker.words, worker.floats, job);
  worker.sequence++;
  // The release store orders the argument writes before the worker's acquire load of SEQUENCE.
  Atomics.store(worker.words, SEQUENCE, worker.sequence);
  Atomics.notify(worker.words, SEQUENCE);
}
