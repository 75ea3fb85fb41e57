import { describe, expect, it } from 'vitest';
import { Tensor } from '../tensor.js';
import { type RMSpropUpdateOptions, rmspropUpdate } from './rmsprop-update.js';

const OPTIONS: RMSpropUpdateOptions = { learningRate: 0.25, rho: 0.75, epsilon: 1e-8 };

describe('rmspropUpdate', () => {
  it('takes two steps, hand-computed', () => {
    const s = Tensor.zeros([2]);
    const theta = Tensor.from([1, 2]);
    // g = [2, −4]: s = 0.25·g² = [1, 4]; g/√s = [2, −2]; θ = [1, 2] − 0.25·[2, −2] = [0.5, 2.5].
    rmspropUpdate(Tensor.from([2, -4]), s, undefined, theta, OPTIONS);
    expect(Array.from(s.data)).toEqual([1, 4]);
    expect(Array.from(theta.data)).toEqual([0.5, 2.5]);
    // g = [2, 0]: s = 0.75·[1, 4] + 0.25·[4, 0] = [1.75, 3]; g/√s = [2/1.3229, 0] = [1.5119, 0]; θ₀ = 0.5 − 0.37796.
    rmspropUpdate(Tensor.from([2, 0]), s, undefined, theta, OPTIONS);
    expect(Array.from(s.data)).toEqual([1.75, 3]);
    expect(theta.data[0]).toBeCloseTo(0.12204, 5);
    expect(theta.data[1]).toBe(2.5);
  });

  it('with momentum accumulates g/(√s + ε) into the velocity and steps by it', () => {
    const s = Tensor.zeros([2]);
    const velocity = Tensor.from([1, 1]);
    const theta = Tensor.from([1, 2]);
    // b = 0.5·[1, 1] + [2, −2] = [2.5, −1.5]; θ = [1, 2] − 0.25·b = [0.375, 2.375].
    rmspropUpdate(Tensor.from([2, -4]), s, velocity, theta, { ...OPTIONS, momentum: 0.5 });
    expect(Array.from(velocity.data)).toEqual([2.5, -1.5]);
    expect(Array.from(theta.data)).toEqual([0.375, 2.375]);
  });

  it('needs a velocity only with momentum, and rejects options out of range', () => {
    const [g, s, theta] = [Tensor.zeros([2]), Tensor.zeros([2]), Tensor.zeros([2])];
    expect(() => rmspropUpdate(g, s, undefined, theta, { ...OPTIONS, momentum: 0.9 })).toThrow(
      new TypeError('rmspropUpdate: momentum 0.9 needs a velocity tensor'),
    );
    expect(() => rmspropUpdate(g, s, Tensor.zeros([3]), theta, { ...OPTIONS, momentum: 0.9 })).toThrow(
      'velocity must have shape [2] but has [3]',
    );
    expect(() => rmspropUpdate(g, s, undefined, theta, { ...OPTIONS, rho: 1 })).toThrow(
      new RangeError('rmspropUpdate: rho must be in [0, 1), found 1'),
    );
    expect(() => rmspropUpdate(g, s, undefined, theta, { ...OPTIONS, epsilon: -1 })).toThrow('epsilon must be');
    expect(() => rmspropUpdate(g, s, undefined, s, OPTIONS)).toThrow('meanSquare and theta share memory');
  });
});
