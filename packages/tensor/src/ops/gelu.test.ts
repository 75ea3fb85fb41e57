import { describe, expect, it } from 'vitest';
import { Random } from '../random.js';
import { ShapeError } from '../shape-error.js';
import { Tensor } from '../tensor.js';
import { gelu, geluBackward } from './gelu.js';

/** The tanh approximation in float64, from its definition. */
function reference(x: number): number {
  return 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3)));
}

describe('gelu', () => {
  it('is x/2·(1 + tanh(√(2/π)·(x + 0.044715·x³))), hand-checked at 0, ±1 and far out', () => {
    const y = gelu(Tensor.from([0, 1, -1, 1000, -1000, Number.NaN]));
    expect(y.data[0]).toBe(0);
    // GELU(1) = 0.841192 in the tanh approximation (the exact x·Φ(x) is 0.841345); GELU(−1) = −1 + GELU(1).
    expect(y.data[1]).toBeCloseTo(0.841192, 6);
    expect(y.data[2]).toBeCloseTo(-0.158808, 6);
    expect([y.data[3], y.data[4]]).toEqual([1000, -0]);
    expect(y.data[5]).toBeNaN();
  });

  it('matches the definition on random data and runs in place', () => {
    const rng = new Random(3);
    const x = Tensor.from(Array.from({ length: 50 }, () => rng.uniform(-5, 5)));
    const expected = Array.from(x.data, (v) => Math.fround(reference(v)));
    expect(Array.from(gelu(x).data)).toEqual(expected);
    expect(gelu(x, x)).toBe(x);
    expect(Array.from(x.data)).toEqual(expected);
    expect(() => gelu(x, Tensor.zeros([2]))).toThrow(ShapeError);
  });
});

describe('geluBackward', () => {
  it('is dy/2 at 0 and matches a finite difference of the approximation elsewhere', () => {
    expect(Array.from(geluBackward(Tensor.from([0]), Tensor.from([2])).data)).toEqual([1]);
    const x = Tensor.from([-3, -1, -0.2, 0.4, 1, 2.5]);
    const dy = Tensor.from([1, 2, -1, 0.5, 1, 3]);
    const dx = geluBackward(x, dy);
    for (let i = 0; i < x.size; i++) {
      const v = x.data[i];
      const numeric = (reference(v + 1e-6) - reference(v - 1e-6)) / 2e-6;
      expect(dx.data[i]).toBeCloseTo(dy.data[i] * numeric, 5);
    }
  });

  it('writes into out === dy and rejects a dy of another shape', () => {
    const dy = Tensor.from([2]);
    expect(geluBackward(Tensor.from([0]), dy, dy)).toBe(dy);
    expect(dy.data[0]).toBe(1);
    expect(() => geluBackward(Tensor.zeros([2]), Tensor.zeros([2, 1]))).toThrow(
      'geluBackward: dy must have shape [2] but has [2, 1]',
    );
  });
});
