import { describe, expect, it, vi } from 'vitest';
import { type Tuning, tuningWith } from '../tuning.js';
import { type GemmJob, type MomentumJob, WORD } from './job-table.js';
import { KernelInstance } from './kernel-instance.js';
import { WorkerPool, WorkerThreadError } from './worker-pool.js';

// The pool's clock, which one test moves a minute forward, as a computer that sleeps would, once a word of shared
// memory (`jumpAt`, set by a worker that then pauses) asks for it: at the third reading after that, when the caller
// has already seen the heartbeat stop.
const clock = vi.hoisted(() => ({ jumpAt: undefined as Int32Array | undefined, readings: 0, offset: 0 }));
vi.mock('./platform.js', async (original) => {
  const platform = await original<typeof import('./platform.js')>();
  return {
    ...platform,
    now: () => {
      if (clock.jumpAt !== undefined && Atomics.load(clock.jumpAt, 0) === 1 && ++clock.readings === 3) {
        clock.offset = 60_000;
      }
      return platform.now() + clock.offset;
    },
  };
});

// Control blocks from 0, three gemm work areas from WORK, operands past those.
const WORK = 4096;
const WORK_BYTES = tuningWith().GEMM_WORK_BYTES;
/** A shared instance with `tuning` moved (the pool's deadlines come from it), and gemm jobs on its memory. */
function setUp(tuning: Partial<Tuning> = {}): {
  kernels: KernelInstance;
  operands: number;
  gemm: (m: number, n: number, k: number) => GemmJob;
} {
  // These tests are about what a worker does with a share it took: it gets all the time it needs to take it.
  const kernels = new KernelInstance(true, tuningWith({ CLAIM_GRACE_MS: 10_000, ...tuning }), {
    initialBytes: 32 << 20,
  });
  const operands = WORK + 3 * WORK_BYTES + 4096;
  const gemm = (m: number, n: number, k: number): GemmJob => ({
    kind: 'gemm',
    transA: 0,
    transB: 0,
    m,
    n,
    k,
    alpha: 1,
    a: operands,
    lda: k,
    b: operands + 4 * (m + 3) * k,
    ldb: n,
    beta: 0,
    c: operands + 4 * ((m + 3) * k + k * n),
    ldc: n,
    work: WORK,
  });
  return { kernels, operands, gemm };
}

/** What `run` threw (undefined if nothing) and how long it took. */
function timedRun(pool: WorkerPool, own: GemmJob, shares: GemmJob[]): { thrown: unknown; ms: number } {
  const started = performance.now();
  try {
    pool.run(own, shares);
    return { thrown: undefined, ms: performance.now() - started };
  } catch (error) {
    return { thrown: error, ms: performance.now() - started };
  }
}

/**
 * Kernels for a worker that computes the first 64 rows of a gemm whose α is 3 (the marker of a share to lose), with
 * its heartbeat, and then `fault`s (JavaScript run in the worker) instead of finishing; every other gemm is untouched.
 */
function faultyKernels(fault: string): string {
  return `(kernels) => ({
    ...kernels,
    gemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, work, progress) {
      if (alpha !== 3) return kernels.gemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, work, progress);
      kernels.gemm(transA, transB, 64, n, k, alpha, a, lda, b, ldb, beta, c, ldc, work, progress);
      ${fault};
    },
  })`;
}

/** The faults a worker meets in the middle of its share: its thread ends, or it blocks forever. */
const FAULTS = {
  dies: 'process.exit(1)',
  hangs: 'Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0)',
};

describe('WorkerPool', () => {
  it('throws a WorkerThreadError, and retires, when a claimed share makes no progress within the stall deadline', async () => {
    // Deadlines of 0 ms: by the time the caller has done its own share, the worker has claimed its one (it cannot be
    // taken back), and between two looks of the caller its heartbeat cannot be relied on to move.
    const { kernels, gemm } = setUp({ CLAIM_DEADLINE_MS: 0, STALL_DEADLINE_MS: 0 });
    const pool = new WorkerPool(kernels, 1, () => 0);
    expect(await pool.started()).toBe(1);
    // The caller's own share takes tens of milliseconds, the worker's four times as long (A and B are ones, so no
    // zeros are skipped): a spinning or sleeping worker claims its job within microseconds of the notify, long before
    // the caller looks, and is still computing then.
    const own = gemm(512, 512, 1024);
    const share = { ...gemm(1024, 1024, 1024), work: WORK + WORK_BYTES }; // its C lies past the caller's
    kernels.floats().fill(1, own.a >> 2, share.c >> 2);
    const { thrown } = timedRun(pool, own, [share]);
    expect(thrown).toBeInstanceOf(WorkerThreadError);
    expect((thrown as Error).message).toMatch(/took its share .* made no progress/);
    expect(pool.failure).toMatch(/made no progress/);
    expect(pool.ready()).toBe(0);
  });

  it('waits for a share that takes many times the stall deadline, as long as it makes progress', async () => {
    const { kernels, gemm, operands } = setUp({ STALL_DEADLINE_MS: 100 });
    const pool = new WorkerPool(kernels, 1, () => 0);
    expect(await pool.started()).toBe(1);
    // Hundreds of milliseconds for the worker (a 2048 × 1024 × 1024 product), against a heartbeat expected every
    // 100 ms.
    const share = { ...gemm(2048, 1024, 1024), work: WORK + WORK_BYTES };
    kernels.floats().fill(1, operands >> 2, share.c >> 2); // A and B all ones: every entry of C is k = 1024
    const { thrown, ms } = timedRun(pool, { ...gemm(8, 8, 8), c: share.c + 4 * 2048 * 1024 }, [share]);
    expect(thrown).toBeUndefined();
    expect(ms).toBeGreaterThan(100); // the share did outlast the stall deadline, so only the heartbeat kept it alive
    const c = kernels.floats().subarray(share.c >> 2, (share.c >> 2) + 2048 * 1024);
    expect(c.every((value) => value === 1024)).toBe(true);
    expect(pool.failure).toBeUndefined();
    pool.stop();
  });

  for (const [fault, code] of Object.entries(FAULTS)) {
    it(`detects a worker that ${fault} in the middle of a huge share within seconds; the other shares complete`, async () => {
      const { kernels, gemm, operands } = setUp();
      // The default deadlines. Before heartbeats, a claimed share got 30 s plus a second per 5·10⁷ multiply-adds.
      const pool = new WorkerPool(kernels, 2, (i) => 128 * i, { wrapKernels: faultyKernels(code) });
      expect(await pool.started()).toBe(2);
      const long = { ...gemm(1024, 1024, 512), work: WORK + 2 * WORK_BYTES }; // tens of milliseconds
      kernels.floats().fill(1, operands >> 2, long.c >> 2); // A and B all ones: every entry of C is k = 512
      // A share of 2048 × 2048 × 2048 (8.6·10⁹ multiply-adds) that the worker leaves after its first 64 rows. Its
      // operands lie past the long product's C, and the caller's own small product past them.
      const size = 4 * 2048 * 2048;
      const a = long.c + 4 * 1024 * 1024;
      const lost = {
        ...gemm(2048, 2048, 2048),
        alpha: 3,
        a,
        b: a + size + 4 * 3 * 2048,
        c: a + 2 * size + 4 * 3 * 2048,
      };
      const own = { ...gemm(8, 8, 8), c: lost.c + size };
      expect(kernels.reserve(own.c + 4096)).toBe(true);
      const { thrown, ms } = timedRun(pool, own, [{ ...lost, work: WORK + WORK_BYTES }, long]);
      expect(thrown).toBeInstanceOf(WorkerThreadError);
      expect((thrown as Error).message).toMatch(
        /made no progress for \d+ ms \(its thread died or hung\); the arrays that share writes are incomplete/,
      );
      // A liveness bound, not a speed claim: detection takes about the stall deadline (1 s), however large the share.
      expect(ms).toBeLessThan(5000);
      const c = kernels.floats().subarray(long.c >> 2, (long.c >> 2) + 1024 * 1024);
      expect(c.every((value) => value === 512)).toBe(true);
      expect(pool.ready()).toBe(0);
      // Later calls run on the caller, complete.
      const job = gemm(2, 2, 1);
      const floats = kernels.floats();
      floats.set([1, 2], operands >> 2);
      floats.set([3, 4], job.b >> 2);
      pool.run({ ...job, m: 1 }, [{ ...job, m: 1, a: job.a + 4, c: job.c + 8 }]);
      expect(Array.from(floats.subarray(job.c >> 2, (job.c >> 2) + 4))).toEqual([3, 4, 6, 8]);
    });
  }

  it('does not count a jump of the clock against a worker: a sleeping computer is not a dead thread', async () => {
    const { kernels, gemm, operands } = setUp();
    const flag = operands - 64; // a free word below the operands
    clock.jumpAt = new Int32Array(kernels.memory.buffer, flag, 1);
    try {
      // The worker computes 64 rows, asks for the jump and pauses 300 ms (as if the computer slept), then finishes.
      const pausing = `(kernels, memory) => ({
        ...kernels,
        gemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, work, progress) {
          if (alpha !== 3) return kernels.gemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, work, progress);
          kernels.gemm(transA, transB, 64, n, k, alpha, a, lda, b, ldb, beta, c, ldc, work, progress);
          const words = new Int32Array(memory.buffer, ${flag}, 1);
          Atomics.store(words, 0, 1);
          Atomics.wait(words, 0, 1, 300);
          kernels.gemm(transA, transB, m - 64, n, k, alpha, a + 4 * 64 * lda, lda, b, ldb, beta, c + 4 * 64 * ldc, ldc, work, progress);
        },
      })`;
      const pool = new WorkerPool(kernels, 1, () => 0, { wrapKernels: pausing });
      expect(await pool.started()).toBe(1);
      const share = { ...gemm(256, 256, 256), alpha: 3, work: WORK + WORK_BYTES };
      kernels.floats().fill(1, operands >> 2, share.c >> 2);
      const { thrown } = timedRun(pool, { ...gemm(8, 8, 8), c: share.c + 4 * 256 * 256 }, [share]);
      expect(clock.offset).toBe(60_000); // the caller's clock did jump a minute while it waited
      expect(thrown).toBeUndefined();
      const c = kernels.floats().subarray(share.c >> 2, (share.c >> 2) + 256 * 256);
      expect(c.every((value) => value === 3 * 256)).toBe(true);
      pool.stop();
    } finally {
      clock.jumpAt = undefined;
      clock.readings = 0;
      clock.offset = 0;
    }
  });

  it('runs a large momentum update share in chunks with heartbeats, with the result of one kernel call', async () => {
    const { kernels, operands } = setUp();
    const pool = new WorkerPool(kernels, 1, () => 0);
    expect(await pool.started()).toBe(1);
    const n = 1_000_003; // about 15 chunks, the last one partial and not a multiple of 4
    const floats = kernels.floats();
    const [g, v, theta] = [0, 1, 2].map((i) => operands + 4 * i * (n + 16));
    for (const [at, start] of [
      [g, 0.5],
      [v, -1],
      [theta, 2],
    ]) {
      for (let i = 0; i < n; i++) floats[(at >> 2) + i] = start + i * 1e-6;
    }
    const job = (offset: number): MomentumJob => ({
      kind: 'momentum',
      n,
      learningRate: 0.1,
      momentum: 0.9,
      gradScale: 0.1,
      nesterov: 1,
      g: g + offset,
      velocity: v + offset,
      theta: theta + offset,
    });
    // The reference: one kernel call on a copy of the three arrays, past them.
    const copy = 4 * 3 * (n + 16);
    floats.copyWithin((g + copy) >> 2, g >> 2, (g + copy) >> 2);
    kernels.exports.momentum_update(n, 0.1, 0.9, 0.1, 1, g + copy, v + copy, theta + copy);
    pool.run({ kind: 'fill', n: 0, value: 0, out: operands + 2 * copy }, [job(0)]);
    // The first element (of the velocity, then of θ) that differs from the reference, or -1.
    const firstDifference = (at: number) => {
      for (let i = 0; i < n; i++) if (!Object.is(floats[(at >> 2) + i], floats[((at + copy) >> 2) + i])) return i;
      return -1;
    };
    expect([firstDifference(v), firstDifference(theta)]).toEqual([-1, -1]);
    expect(floats[(theta >> 2) + n - 1]).not.toBe(2 + (n - 1) * 1e-6); // the last, partial chunk was updated
    pool.stop();
  });

  it('throws a WorkerThreadError when a worker fails in the middle of its share', async () => {
    const { kernels, gemm } = setUp();
    const pool = new WorkerPool(kernels, 1, () => 0);
    expect(await pool.started()).toBe(1);
    // An operand past the end of memory: the worker's kernel traps.
    const share = { ...gemm(8, 8, 8), a: 0x7fff0000, work: WORK + WORK_BYTES };
    expect(() => pool.run(gemm(8, 8, 8), [share])).toThrow(WorkerThreadError);
    expect(pool.failure).toMatch(/failed in the middle/);
    expect(pool.ready()).toBe(0);
  });

  it('lets every other worker finish its share when one fails, then retires them all', async () => {
    const { kernels, gemm, operands } = setUp();
    const pool = new WorkerPool(kernels, 2, (i) => 128 * i);
    expect(await pool.started()).toBe(2);
    const long = { ...gemm(1024, 1024, 512), work: WORK + 2 * WORK_BYTES }; // tens of milliseconds
    kernels.floats().fill(1, operands >> 2, long.c >> 2); // A and B all ones: every entry of C is k = 512
    const past = long.c + 4 * 1024 * 1024; // the small products' C go past the long one's
    const failing = { ...gemm(8, 8, 8), a: 0x7fff0000, c: past, work: WORK + WORK_BYTES };
    expect(() => pool.run({ ...gemm(8, 8, 8), c: past + 4096 }, [failing, long])).toThrow(WorkerThreadError);
    const c = kernels.floats().subarray(long.c >> 2, (long.c >> 2) + 1024 * 1024);
    expect(c.every((value) => value === 512)).toBe(true);
    expect(pool.ready()).toBe(0);
  });

  it('takes back a share its worker has not claimed within the grace, and gives the worker up only after the deadline', () => {
    const { kernels, gemm } = setUp({ CLAIM_GRACE_MS: 1, CLAIM_DEADLINE_MS: 30 });
    const pool = new WorkerPool(kernels, 1, () => 0);
    const control = new Int32Array(kernels.memory.buffer, 0, 32);
    const busyWait = (ms: number) => {
      const until = performance.now() + ms;
      while (performance.now() < until);
    };
    // Wait (without yielding, so the pool hears of nothing) until the worker is ready, then make it leave its loop
    // without telling anyone: from now on it claims nothing, as a worker starved of a core would not.
    for (let i = 0; i < 2000 && pool.ready() === 0; i++) busyWait(5);
    expect(pool.ready()).toBe(1);
    Atomics.store(control, WORD.SEQUENCE, -1);
    Atomics.notify(control, WORD.SEQUENCE);
    busyWait(50);
    const share = gemm(8, 8, 8);
    kernels.floats().fill(1, share.a >> 2, share.c >> 2);
    pool.run({ kind: 'fill', n: 0, value: 0, out: 0 }, [share]);
    expect(pool.sharesTakenBack).toBe(1);
    expect(kernels.floats()[share.c >> 2]).toBe(8); // a row of ones times a column of ones, 8 deep
    expect(pool.failure).toBeUndefined();
    // Still nothing claimed after the claim deadline: the worker is given up, and the pool retires.
    busyWait(40);
    pool.run({ kind: 'fill', n: 0, value: 0, out: 0 }, [share]);
    expect(pool.sharesTakenBack).toBe(2);
    expect(pool.failure).toMatch(/did not take its share of any call for \d+ ms/);
    expect(pool.ready()).toBe(0);
  });

  it('holds back from sharing for a while after a call in which the caller waited long for a worker', async () => {
    const { kernels, gemm } = setUp({ THREAD_LATE_MS: 0.5, THREAD_BACKOFF_MS: { min: 30, max: 60 } });
    const pool = new WorkerPool(kernels, 1, () => 0);
    expect(await pool.started()).toBe(1);
    // The worker's share is 64 times the caller's, as when a busy machine leaves the worker a fraction of a core.
    const own = gemm(64, 64, 64);
    const share = { ...gemm(256, 256, 256), work: WORK + WORK_BYTES };
    kernels.floats().fill(1, own.a >> 2, share.c >> 2);
    pool.run(own, [share]);
    expect(pool.heldBack).toBe(1);
    expect(pool.available()).toBe(0);
    expect(pool.ready()).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 40));
    // The pause is over (whether calls are balanced on an idle machine depends on the machine: the benchmarks say).
    expect(pool.available()).toBe(1);
    pool.stop();
  });

  it('runs shares on the caller once the pool has stopped', async () => {
    const { kernels, gemm, operands } = setUp();
    const pool = new WorkerPool(kernels, 1, () => 0);
    expect(await pool.started()).toBe(1);
    pool.stop('stopped by the test');
    const floats = kernels.floats();
    const job = gemm(2, 2, 1);
    floats.set([1, 2], operands >> 2); // A = [1; 2] (2 × 1)
    floats.set([3, 4], job.b >> 2); // B = [3, 4] (1 × 2)
    pool.run({ ...job, m: 1 }, [{ ...job, m: 1, a: job.a + 4, c: job.c + 8 }]);
    expect(Array.from(floats.subarray(job.c >> 2, (job.c >> 2) + 4))).toEqual([3, 4, 6, 8]);
  });
});
