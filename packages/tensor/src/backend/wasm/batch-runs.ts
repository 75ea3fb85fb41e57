import { evenRanges } from './runtime/runtime.js';

/**
 * A job over a batch (`count` items) restricted to items `from … to`: its own `count`, and its pointer fields advanced
 * past the items before `from`. `pointers` names each pointer field with the field holding its bytes per item.
 */
export function batchRun<Job extends { count: number }>(
  job: Job,
  from: number,
  to: number,
  pointers: readonly (readonly [keyof Job & string, keyof Job & string])[],
): Job {
  const share = { ...job, count: to - from } as Record<string, unknown>;
  for (const [pointer, bytes] of pointers) share[pointer] = (job[pointer] as number) + from * (job[bytes] as number);
  return share as Job;
}

/**
 * A job over a batch cut into `runs` contiguous runs of items ({@link batchRun} each), as even as whole items allow.
 * How a batch is cut never changes an item's result.
 */
export function batchRuns<Job extends { count: number }>(
  job: Job,
  runs: number,
  pointers: readonly (readonly [keyof Job & string, keyof Job & string])[],
): Job[] {
  return evenRanges(job.count, runs).map(([from, to]) => batchRun(job, from, to, pointers));
}
