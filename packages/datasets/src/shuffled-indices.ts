import type { Random } from '@mnist/tensor';

/**
 * A uniformly random permutation of `0 … n−1` (Fisher–Yates), drawn from a seeded generator: the same seed gives the
 * same order on every run and every JavaScript engine.
 *
 * @param n - how many indices
 * @param rng - the generator to draw from
 * @param out - where to write, exactly `n` long; allocated when omitted
 * @returns `out`
 * @throws RangeError when `n` is not a non-negative integer or `out` has another length
 * @example
 * ```ts
 * import { Random } from '@mnist/tensor';
 * declare const train: ImageDataset;
 *
 * const order = shuffledIndices(train.length, new Random(1)); // Int32Array, each index once
 * ```
 */
export function shuffledIndices(n: number, rng: Random, out: Int32Array = new Int32Array(n)): Int32Array {
  if (!Number.isSafeInteger(n) || n < 0)
    throw new RangeError(`shuffledIndices: n must be a non-negative integer, found ${n}`);
  if (out.length !== n) throw new RangeError(`shuffledIndices: out must have length ${n}, found ${out.length}`);
  for (let i = 0; i < n; i++) out[i] = i;
  return rng.shuffle(out);
}
