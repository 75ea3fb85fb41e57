import { describe, expect, it } from 'vitest';
import { KernelInstance } from './kernels.js';
import { type GemmJob, WorkerPool, WorkerThreadError } from './worker-pool.js';

// Control blocks from 0, three gemm work areas from WORK, operands past those.
const WORK = 4096;
function setUp(): { kernels: KernelInstance; operands: number; gemm: (m: number, n: number, k: number) => GemmJob } {
  const kernels = new KernelInstance(true, 32 << 20);
  const operands = WORK + 3 * kernels.workBytes + 4096;
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

describe('WorkerPool', () => {
  it('throws a WorkerThreadError, and retires, when a worker takes its share and does not finish it in time', async () => {
    const { kernels, gemm } = setUp();
    // Deadlines of 0 ms: by the time the caller has done its own share, the worker has claimed its one (it cannot
    // be taken back) and is still computing it.
    const pool = new WorkerPool(kernels, 1, () => 0, { claimBaseMs: 0, finishBaseMs: 0, costPerMs: Infinity });
    expect(await pool.started()).toBe(1);
    // The caller's own share takes about 10 ms, the worker's about 50: a spinning or sleeping worker claims its job
    // within microseconds of the notify, long before the caller looks.
    const own = gemm(512, 512, 1024);
    const share = { ...gemm(1024, 1024, 1024), work: WORK + kernels.workBytes }; // its C lies past the caller's
    let thrown: unknown;
    try {
      pool.run(own, [share], 1);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(WorkerThreadError);
    expect((thrown as Error).message).toMatch(/took its share .* did not finish it/);
    expect(pool.failure).toMatch(/did not finish/);
    expect(pool.ready()).toBe(0);
  });

  it('throws a WorkerThreadError when a worker fails in the middle of its share', async () => {
    const { kernels, gemm } = setUp();
    const pool = new WorkerPool(kernels, 1, () => 0);
    expect(await pool.started()).toBe(1);
    // An operand past the end of memory: the worker's kernel traps.
    const share = { ...gemm(8, 8, 8), a: 0x7fff0000, work: WORK + kernels.workBytes };
    expect(() => pool.run(gemm(8, 8, 8), [share], 1)).toThrow(WorkerThreadError);
    expect(pool.failure).toMatch(/failed in the middle/);
    expect(pool.ready()).toBe(0);
  });

  it('lets every other worker finish its share when one fails, then retires them all', async () => {
    const { kernels, gemm, operands } = setUp();
    const pool = new WorkerPool(kernels, 2, (i) => 128 * i);
    expect(await pool.started()).toBe(2);
    const long = { ...gemm(1024, 1024, 512), work: WORK + 2 * kernels.workBytes }; // tens of milliseconds
    kernels.floats().fill(1, operands >> 2, long.c >> 2); // A and B all ones: every entry of C is k = 512
    const past = long.c + 4 * 1024 * 1024; // the small products' C go past the long one's
    const failing = { ...gemm(8, 8, 8), a: 0x7fff0000, c: past, work: WORK + kernels.workBytes };
    expect(() => pool.run({ ...gemm(8, 8, 8), c: past + 4096 }, [failing, long], 1)).toThrow(WorkerThreadError);
    const c = kernels.floats().subarray(long.c >> 2, (long.c >> 2) + 1024 * 1024);
    expect(c.every((value) => value === 512)).toBe(true);
    expect(pool.ready()).toBe(0);
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
    pool.run({ ...job, m: 1 }, [{ ...job, m: 1, a: job.a + 4, c: job.c + 8 }], 1);
    expect(Array.from(floats.subarray(job.c >> 2, (job.c >> 2) + 4))).toEqual([3, 4, 6, 8]);
  });
});
