import { describe, expect, it } from 'vitest';
import { Random } from '../random.js';
import { ShapeError } from '../shape-error.js';
import { Tensor } from '../tensor.js';
import { dropoutMask } from './dropout-mask.js';
import { randomUniform } from './random.js';

describe('dropoutMask', () => {
  it('drops where u < rate and scales the rest by 1/(1 − rate), hand-checked', () => {
    expect(Array.from(dropoutMask(Tensor.from([0.1, 0.5, 0.7, 0.49]), 0.5).data)).toEqual([0, 2, 2, 0]);
    expect(Array.from(dropoutMask(Tensor.from([0, 0.3]), 0).data)).toEqual([1, 1]);
    expect(Array.from(dropoutMask(Tensor.from([0.1, 0.3]), 0.25).data)).toEqual([0, Math.fround(1 / 0.75)]);
  });

  it('keeps about 1 − rate of the entries, with a mean of about 1', () => {
    const mask = dropoutMask(randomUniform([100, 100], new Random(1)), 0.3);
    const kept = mask.data.filter((v) => v !== 0).length / mask.size;
    expect(Math.abs(kept - 0.7)).toBeLessThan(0.02); // 4.4 standard deviations of a binomial over 10,000
    const mean = mask.data.reduce((a, b) => a + b, 0) / mask.size;
    expect(Math.abs(mean - 1)).toBeLessThan(0.03);
  });

  it('runs in place and rejects a rate outside [0, 1) or a wrong out', () => {
    const u = Tensor.from([0.2, 0.8]);
    expect(dropoutMask(u, 0.5, u)).toBe(u);
    expect(Array.from(u.data)).toEqual([0, 2]);
    for (const rate of [1, -0.1, Number.NaN]) {
      expect(() => dropoutMask(u, rate)).toThrow(new RangeError(`dropoutMask: rate must be in [0, 1), found ${rate}`));
    }
    expect(() => dropoutMask(u, 0.5, Tensor.zeros([3]))).toThrow(ShapeError);
  });
});
