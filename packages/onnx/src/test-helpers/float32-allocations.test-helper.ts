// Counts what a call allocates as Float32Arrays, so that a test asserts the allocation a file's claims could cause
// rather than how long the call took.

/** What a call allocated as `Float32Array`s, and how it ended. */
export interface Float32Allocations {
  /** What it threw, when it threw. */
  error?: unknown;
  /** The elements of the largest `Float32Array` constructed during the call. */
  largest: number;
}

/**
 * Runs `run` with the global `Float32Array` constructor replaced by a counting proxy: every `new Float32Array(…)` and
 * `Float32Array.from(…)` is seen. Synchronous calls only: the constructor is restored before this returns.
 */
export function countFloat32Allocations(run: () => unknown): Float32Allocations {
  const original = globalThis.Float32Array;
  let largest = 0;
  const counting = new Proxy(original, {
    construct(target, args, newTarget) {
      const array = Reflect.construct(target, args, newTarget === counting ? target : newTarget) as Float32Array;
      largest = Math.max(largest, array.length);
      return array;
    },
  });
  globalThis.Float32Array = counting;
  try {
    run();
    return { largest };
  } catch (error) {
    return { error, largest };
  } finally {
    globalThis.Float32Array = original;
  }
}
