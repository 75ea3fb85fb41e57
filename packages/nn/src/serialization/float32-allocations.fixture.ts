/** What a call allocated as `Float32Array`s, and how it ended. */
export interface Float32Allocations<T> {
  /** The call's result, when it returned. */
  result?: T;
  /** What it threw, when it threw. */
  error?: unknown;
  /** The elements of every `Float32Array` constructed during the call, views of existing memory included. */
  total: number;
  /** The elements of the largest one. */
  largest: number;
}

/**
 * Runs `run` with the global `Float32Array` constructor replaced by a counting proxy, so a test can assert how much a
 * call allocated rather than how long it took. Every `new Float32Array(…)` and `Float32Array.from(…)` is counted,
 * including a backend's views of its own memory (where a placed model's parameters live); copies made
 * through the species constructor (`slice`, `map`) are not. Synchronous calls only: the constructor is restored
 * before this returns.
 */
export function countFloat32Allocations<T>(run: () => T): Float32Allocations<T> {
  const original = globalThis.Float32Array;
  let total = 0;
  let largest = 0;
  const counting = new Proxy(original, {
    construct(target, args, newTarget) {
      const array = Reflect.construct(target, args, newTarget === counting ? target : newTarget) as Float32Array;
      total += array.length;
      largest = Math.max(largest, array.length);
      return array;
    },
  });
  globalThis.Float32Array = counting;
  try {
    const result = run();
    return { result, total, largest };
  } catch (error) {
    return { error, total, largest };
  } finally {
    globalThis.Float32Array = original;
  }
}
