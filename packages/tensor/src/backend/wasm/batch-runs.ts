/** Items `0 … count` cut into `parts` contiguous ranges `[from, to)`, as even as whole items allow. */
export function evenRanges(count: number, parts: number): [from: number, to: number][] {
  const ranges: [number, number][] = [];
  let from = 0;
  for (let part = 0; part < parts; part++) {
    const to = Math.round(((part + 1) * count) / parts);
    ranges.push([from, to]);
    from = to;
  }
  return ranges;
}

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
  return evenRanges(job.count, runs).map(([start, stop]) => {
    const share = { ...job, count: stop - start } as Record<string, unknown>;
    for (const [pointer, bytes] of pointers) share[pointer] = (job[pointer] as number) + start * (job[bytes] as number);
    return share as Job;
  });
}
