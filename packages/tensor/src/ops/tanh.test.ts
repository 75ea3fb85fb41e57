import { describe, expect, it } from 'vitest';
import { Random } from '../random.js';
import { ShapeError } from '../shape-error.js';
import { Tensor } from '../tensor.js';
import { tanh, tanhBackward } from './tanh.js';

describe('tanh', () => {
  it('is tanh(x) elementwise, saturating at ±1, and runs in place', () => {
    const x = Tensor.from([0, 1000, -1000, Number.NaN, 0.5], [5]);
    expect(Array.from(tanh(x).data)).toEqual([0, 1, -1, Number.NaN, Math.fround(Math.tanh(0.5))]);
    const rng = new Random(1);
    const z = Tensor.from(
      Array.from({ length: 12 }, () => rng.uniform(-3, 3)),
      [3, 4],
    );
    const expected = Array.from(z.data, (v) => Math.fround(Math.tanh(v)));
    expect(tanh(z, z)).toBe(z);
    expect(Array.from(z.data)).toEqual(expected);
  });

  it('rejects a wrong out', () => {
    expect(() => tanh(Tensor.zeros([2]), Tensor.zeros([3]))).toThrow(ShapeError);
  });
});

describe('tanhBackward', () => {
  it('is dy·(1 − y²) from the output y, and matches a finite difference of tanh', () => {
    // y = [0.5, −0.5], dy = [4, 2]: [4·0.75, 2·0.75]
    expect(Array.from(tanhBackward(Tensor.from([0.5, -0.5]), Tensor.from([4, 2])).data)).toEqual([3, 1.5]);
    const x = Tensor.from([-2, -0.3, 0.1, 1.7]);
    const dx = tanhBackward(tanh(x), Tensor.ones([4]));
    for (let i = 0; i < 4; i++) {
      const v = x.data[i];
      expect(dx.data[i]).toBeCloseTo((Math.tanh(v + 1e-6) - Math.tanh(v - 1e-6)) / 2e-6, 6);
    }
  });

  it('rejects a dy of another shape, naming both', () => {
    expect(() => tanhBackward(Tensor.zeros([2, 3]), Tensor.zeros([6]))).toThrow(
      'tanhBackward: dy must have shape [2, 3] but has [6]',
    );
  });
});
