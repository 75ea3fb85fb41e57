/**
 * A job over a batch (`count` items) cut into `runs` contiguous runs of items, as even as whole items allow: each run
 * is the job with its own `count` and its pointer fields advanced past the items before it. `pointers` names each
 * pointer field with the field holding its bytes per item. How a batch is cut never changes an item's result.
 */
export function batchRuns<Job extends { count: number }>(
  job: Job,
  runs: number,
  pointers: readonly (readonly [keyof Job & string, keyof Job & string])[],
): Job[] {
  const shares: Job[] = [];
  let start = 0;
  for (let run = 0; run < runs; run++) {
    const stop = Math.round(((run + 1) * job.count) / runs);
    const share = { ...job, count: stop - start } as Record<string, unknown>;
    for (const [pointer, bytes] of pointers) share[pointer] = (job[pointer] as number) + start * (job[bytes] as number);
    shares.push(share as Job);
    start = stop;
  }
  return shares;
}
