import { describe, expect, it } from 'vitest';
import { Random } from '../random.js';
import { ShapeError } from '../shape-error.js';
import { Tensor } from '../tensor.js';
import { sigmoid, sigmoidBackward } from './sigmoid.js';

function random(rng: Random, shape: number[], range: number): Tensor {
  const x = Tensor.zeros(shape);
  for (let i = 0; i < x.size; i++) x.data[i] = rng.uniform(-range, range);
  return x;
}

describe('sigmoid', () => {
  it('is 1/(1 + exp(−x)), hand-checked, and saturates without NaN', () => {
    const y = sigmoid(Tensor.from([0, Math.log(3), -Math.log(3), 1000, -1000, Number.NaN]));
    // 1/(1 + 1/3) = 0.75 and 1/(1 + 3) = 0.25
    expect(Array.from(y.data)).toEqual([0.5, 0.75, 0.25, 1, 0, Number.NaN]);
  });

  it('matches the definition on random data of any rank, and runs in place', () => {
    const x = random(new Random(1), [3, 4, 5], 8);
    const expected = Array.from(x.data, (v) => Math.fround(1 / (1 + Math.exp(-v))));
    expect(Array.from(sigmoid(x).data)).toEqual(expected);
    expect(sigmoid(x, x)).toBe(x);
    expect(Array.from(x.data)).toEqual(expected);
  });

  it('rejects a wrong out and a non-tensor', () => {
    expect(() => sigmoid(Tensor.zeros([2, 3]), Tensor.zeros([6]))).toThrow(ShapeError);
    expect(() => sigmoid(null as unknown as Tensor)).toThrow(TypeError);
  });
});

describe('sigmoidBackward', () => {
  it('is dy·y·(1 − y) from the output y, and matches a finite difference of sigmoid', () => {
    // y = [0.5, 0.25], dy = [4, 8]: [4·0.25, 8·0.1875]
    expect(Array.from(sigmoidBackward(Tensor.from([0.5, 0.25]), Tensor.from([4, 8])).data)).toEqual([1, 1.5]);
    const x = random(new Random(2), [7], 4);
    const dx = sigmoidBackward(sigmoid(x), Tensor.ones([7]));
    const f = (v: number) => 1 / (1 + Math.exp(-v));
    for (let i = 0; i < 7; i++) {
      const v = x.data[i];
      expect(dx.data[i]).toBeCloseTo((f(v + 1e-6) - f(v - 1e-6)) / 2e-6, 6);
    }
  });

  it('writes into out === dy and rejects a dy of another shape', () => {
    const dy = Tensor.from([4, 8]);
    expect(sigmoidBackward(Tensor.from([0.5, 0.25]), dy, dy)).toBe(dy);
    expect(Array.from(dy.data)).toEqual([1, 1.5]);
    expect(() => sigmoidBackward(Tensor.zeros([2, 3]), Tensor.zeros([3, 2]))).toThrow(
      'sigmoidBackward: dy must have shape [2, 3] but has [3, 2]',
    );
  });
});
