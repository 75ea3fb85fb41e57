import { describe, expect, it } from 'vitest';
import { Tensor } from '../tensor.js';
import { adagradUpdate } from './adagrad-update.js';

describe('adagradUpdate', () => {
  it('takes two steps, hand-computed', () => {
    const accumulator = Tensor.from([0, 48]);
    const theta = Tensor.from([1, 2]);
    // g = [3, 4]: G = [9, 64]; g/√G = [1, 0.5]; θ = [1, 2] − 0.5·[1, 0.5] = [0.5, 1.75].
    adagradUpdate(Tensor.from([3, 4]), accumulator, theta, { learningRate: 0.5, epsilon: 1e-10 });
    expect(Array.from(accumulator.data)).toEqual([9, 64]);
    expect(Array.from(theta.data)).toEqual([0.5, 1.75]);
    // g = [4, 0]: G = [25, 64]; g/√G = [0.8, 0]; θ = [0.5 − 0.4, 1.75].
    adagradUpdate(Tensor.from([4, 0]), accumulator, theta, { learningRate: 0.5, epsilon: 1e-10 });
    expect(Array.from(accumulator.data)).toEqual([25, 64]);
    expect(theta.data[0]).toBeCloseTo(0.1, 6);
    expect(theta.data[1]).toBe(1.75);
  });

  it('rejects options out of range and tensors that do not fit', () => {
    const [g, a, theta] = [Tensor.zeros([2]), Tensor.zeros([2]), Tensor.zeros([2])];
    expect(() => adagradUpdate(g, a, theta, { learningRate: Number.NaN, epsilon: 1e-10 })).toThrow(
      new RangeError('adagradUpdate: learningRate must be finite and ≥ 0, found NaN'),
    );
    expect(() => adagradUpdate(g, a, theta, { learningRate: 0.1, epsilon: 0 })).toThrow('epsilon must be');
    expect(() => adagradUpdate(g, Tensor.zeros([1, 2]), theta, { learningRate: 0.1, epsilon: 1 })).toThrow(
      'accumulator must have shape [2] but has [1, 2]',
    );
  });
});
