import { cpus } from 'node:os';

/**
 * Times `run` the way a noisy shared machine needs: a warm-up so the JIT has compiled it, then `rounds` samples of at
 * least `minMs` each, returning the median milliseconds per call. Callers interleave the things they compare, round
 * by round, so that a slow spell of the machine hits both sides.
 */
export function sampler(run: () => void, minMs = 60): () => number {
  let calls = 1;
  const warmUntil = performance.now() + minMs;
  while (performance.now() < warmUntil) run();
  return () => {
    for (;;) {
      const start = performance.now();
      for (let i = 0; i < calls; i++) run();
      const elapsed = performance.now() - start;
      if (elapsed >= minMs) return elapsed / calls;
      calls = Math.max(calls * 2, Math.ceil((calls * minMs * 1.2) / Math.max(elapsed, 0.01)));
    }
  };
}

/** The median of a list of numbers. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** One line describing where the numbers were measured. */
export function machine(): string {
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  return `${cpu}, ${cpus().length} cores, Node.js ${process.version}`;
}
