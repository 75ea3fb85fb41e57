import { Random } from '@mnist/tensor';
import { describe, expect, it } from 'vitest';
import { shuffledIndices } from './shuffled-indices.js';

describe('shuffledIndices', () => {
  it('is a permutation reproducible by seed', () => {
    const a = shuffledIndices(1000, new Random(3));
    expect(Array.from(a).sort((p, q) => p - q)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(shuffledIndices(1000, new Random(3))).toEqual(a);
    expect(shuffledIndices(1000, new Random(4))).not.toEqual(a);
    expect(Array.from(shuffledIndices(10, new Random(1)))).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('writes into out and checks its length', () => {
    const out = new Int32Array(5);
    expect(shuffledIndices(5, new Random(1), out)).toBe(out);
    expect(() => shuffledIndices(5, new Random(1), new Int32Array(4))).toThrow(/out must have length 5, found 4/);
    expect(() => shuffledIndices(-1, new Random(1))).toThrow(RangeError);
  });
});
