import { describe, expect, it } from 'vitest';
import { Tensor } from '../tensor.js';
import { momentumUpdate } from './momentum-update.js';

describe('momentumUpdate', () => {
  it('takes the averaging step, hand-computed', () => {
    const velocity = Tensor.from([1, -2]);
    const theta = Tensor.from([1, 2]);
    // β = 0.5, c = 0.5, α = 0.25, g = [2, 4]: v = [0.5 + 1, −1 + 2] = [1.5, 1]; θ = [1 − 0.375, 2 − 0.25].
    momentumUpdate(Tensor.from([2, 4]), velocity, theta, { learningRate: 0.25, momentum: 0.5, gradScale: 0.5 });
    expect(Array.from(velocity.data)).toEqual([1.5, 1]);
    expect(Array.from(theta.data)).toEqual([0.625, 1.75]);
  });

  it("takes Nesterov's step along β·v + c·g, hand-computed", () => {
    const velocity = Tensor.from([1]);
    const theta = Tensor.from([0]);
    // β = 0.5, c = 1, α = 1, g = 2: v = 0.5 + 2 = 2.5; step = 0.5·2.5 + 2 = 3.25.
    momentumUpdate(Tensor.from([2]), velocity, theta, { learningRate: 1, momentum: 0.5, gradScale: 1, nesterov: true });
    expect(Array.from(velocity.data)).toEqual([2.5]);
    expect(Array.from(theta.data)).toEqual([-3.25]);
  });

  it('rejects options out of range and tensors that do not fit', () => {
    const [g, v, theta] = [Tensor.zeros([2]), Tensor.zeros([2]), Tensor.zeros([2])];
    expect(() => momentumUpdate(g, v, theta, { learningRate: 0.1, momentum: 1, gradScale: 0 })).toThrow(
      new RangeError('momentumUpdate: momentum must be in [0, 1), found 1'),
    );
    expect(() => momentumUpdate(g, v, theta, { learningRate: -1, momentum: 0.9, gradScale: 0.1 })).toThrow(
      'learningRate must be',
    );
    expect(() => momentumUpdate(g, v, v, { learningRate: 0.1, momentum: 0.9, gradScale: 0.1 })).toThrow(/share/);
    expect(() => momentumUpdate(g, Tensor.zeros([3]), theta, { learningRate: 0.1, momentum: 0, gradScale: 1 })).toThrow(
      'velocity must have shape [2] but has [3]',
    );
  });
});
