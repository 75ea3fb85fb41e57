import { describe, expect, it } from 'vitest';
import type { KernelExports } from '../kernels.js';
import { tuningWith } from '../tuning.js';
import {
  CONTROL_WORDS,
  fieldWords,
  JOB_LAYOUTS,
  JOB_TABLE,
  type JobKind,
  jobRange,
  type KernelJob,
  runJob,
  WORD,
} from './job-table.js';
import { KernelInstance } from './kernel-instance.js';
import { WorkerPool } from './worker-pool.js';

/**
 * A job of each kind whose fields are all different numbers: the float fields exact in float32 (they end in .25), the
 * double fields not (float32 would round them).
 */
function sampleJob(kind: JobKind): KernelJob {
  const job: Record<string, number | string> = { kind };
  JOB_TABLE[kind].fields.forEach(([name, type], i) => {
    const values = {
      float: i + 0.25,
      double: 1e-5 * (i + 1),
      count: 1000 + i,
      int: 4096 * (i + 1),
      array: 4096 * (i + 1),
    };
    job[name] = values[type];
  });
  return job as unknown as KernelJob;
}

/** Where a worker records the arguments of its kernel calls: [call count, then each call's arguments, 24 apart]. */
const RECORD = 1 << 16;

/** Kernels for a worker that record each call's arguments in the shared memory instead of running. */
const RECORDING = `(kernels, memory) => {
  const record = new Float64Array(memory.buffer, ${RECORD}, 64);
  const recorder = (...args) => {
    const at = 1 + 24 * record[0]++;
    record[at] = args.length;
    args.forEach((value, i) => { record[at + 1 + i] = value; });
  };
  const recorded = ${JSON.stringify([...new Set(JOB_LAYOUTS.map((layout) => layout.kernel))])};
  return { ...kernels, ...Object.fromEntries(recorded.map((name) => [name, recorder])) };
}`;

describe('the job table', () => {
  it('reaches a worker’s kernel with the arguments runJob passes on the calling thread', async () => {
    // The worker must run each job itself, however busy the machine: it gets all the time it needs to claim it.
    const kernels = new KernelInstance(true, tuningWith({ CLAIM_GRACE_MS: 10_000 }));
    const pool = new WorkerPool(kernels, 1, () => 0, { wrapKernels: RECORDING });
    expect(await pool.started()).toBe(1);
    const record = new Float64Array(kernels.memory.buffer, RECORD, 64);
    for (const kind of Object.keys(JOB_TABLE) as JobKind[]) {
      const job = sampleJob(kind);
      let onCaller: number[] = [];
      const caller = new Proxy(
        {},
        {
          get:
            () =>
            (...args: number[]) =>
              (onCaller = args),
        },
      ) as KernelExports;
      runJob(caller, job);
      record.fill(0);
      // The caller's own share is an empty fill, run by the real kernel on the calling thread.
      pool.run({ kind: 'fill', n: 0, value: 0, out: 0 }, [job]);
      expect(record[0], kind).toBe(1);
      const onWorker = Array.from(record.subarray(2, 2 + record[1]));
      const beats = !JOB_TABLE[kind].fields.some(([, type]) => type === 'count');
      // A kernel that beats the heartbeat itself gets its address on a worker, 0 on the caller.
      expect(onWorker, kind).toEqual(beats ? [...onCaller.slice(0, -1), 4 * WORD.PROGRESS] : onCaller);
      expect(onCaller.slice(0, JOB_TABLE[kind].fields.length), kind).toEqual(
        JOB_TABLE[kind].fields.map(([name]) => (job as unknown as Record<string, number>)[name]),
      );
    }
    pool.stop();
  });

  it('fits every kind’s arguments in a control block, a double taking two words', () => {
    for (const layout of JOB_LAYOUTS) {
      const words = fieldWords(layout);
      const last = words.length - 1;
      const end = words[last] + (layout.fields[last][1] === 'double' ? 2 : 1);
      expect(end, layout.kernel).toBeLessThanOrEqual(CONTROL_WORDS);
    }
    expect(fieldWords(JOB_TABLE.batchNormForward).slice(4, 7)).toEqual([
      WORD.ARGUMENTS + 4,
      WORD.ARGUMENTS + 5,
      WORD.ARGUMENTS + 7,
    ]);
  });

  it('restricts a chunked job to a range: the count set, the arrays advanced, the rest kept', () => {
    const job = sampleJob('momentum');
    expect(jobRange(job, 16, 32)).toEqual({
      ...job,
      n: 32,
      g: (job as { g: number }).g + 64,
      velocity: (job as { velocity: number }).velocity + 64,
      theta: (job as { theta: number }).theta + 64,
    });
  });
});
