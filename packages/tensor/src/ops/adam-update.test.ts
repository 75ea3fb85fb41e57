import { describe, expect, it } from 'vitest';
import { ShapeError } from '../shape-error.js';
import { Tensor } from '../tensor.js';
import { type AdamUpdateOptions, adamUpdate, integerPower } from './adam-update.js';

const OPTIONS: AdamUpdateOptions = { learningRate: 0.5, beta1: 0.5, beta2: 0.75, epsilon: 1e-8, step: 1 };

function state(theta: number[]) {
  const n = theta.length;
  return { m: Tensor.zeros([n]), v: Tensor.zeros([n]), theta: Tensor.from(theta) };
}

describe('adamUpdate', () => {
  it('takes two bias-corrected steps, hand-computed', () => {
    const { m, v, theta } = state([1, 2]);
    // t = 1, g = [2, −4]: m = [1, −2], v = [1, 4], m̂ = m/0.5 = [2, −4], √v̂ = √(v/0.25) = [2, 4];
    // θ = [1, 2] − 0.5·[1, −1] = [0.5, 2.5] (ε shifts it by 1e-8·0.5/2, below float32 resolution).
    adamUpdate(Tensor.from([2, -4]), m, v, theta, OPTIONS);
    expect(Array.from(m.data)).toEqual([1, -2]);
    expect(Array.from(v.data)).toEqual([1, 4]);
    expect(Array.from(theta.data)).toEqual([0.5, 2.5]);
    // t = 2, g = [1, 0]: m = 0.5·[1, −2] + 0.5·[1, 0] = [1, −1]; v = 0.75·[1, 4] + 0.25·[1, 0] = [1, 3];
    // c₁ = 1 − 0.25 = 0.75, c₂ = 1 − 0.5625 = 0.4375; m̂ = [4/3, −4/3]; √v̂ = [√(1/0.4375), √(3/0.4375)] = [1.5119, 2.6186];
    // θ = [0.5 − 0.5·0.88192, 2.5 + 0.5·0.50918] = [0.05904, 2.75459].
    adamUpdate(Tensor.from([1, 0]), m, v, theta, { ...OPTIONS, step: 2 });
    expect(Array.from(m.data)).toEqual([1, -1]);
    expect(Array.from(v.data)).toEqual([1, 3]);
    expect(theta.data[0]).toBeCloseTo(0.05904, 5);
    expect(theta.data[1]).toBeCloseTo(2.75459, 5);
  });

  it('with weight decay λ shrinks θ by (1 − α·λ) besides the Adam step', () => {
    const { m, v, theta } = state([1, 2]);
    // θ·(1 − 0.5·0.5) = [0.75, 1.5], then the step [0.5, −0.5] of the test above: [0.25, 2].
    adamUpdate(Tensor.from([2, -4]), m, v, theta, { ...OPTIONS, weightDecay: 0.5 });
    expect(Array.from(theta.data)).toEqual([0.25, 2]);
    expect(Array.from(m.data)).toEqual([1, -2]); // the decay never enters the moments
  });

  it('rejects options out of range, naming the value', () => {
    const { m, v, theta } = state([1]);
    const g = Tensor.from([1]);
    for (const [name, value, expected] of [
      ['learningRate', -1, 'finite and ≥ 0'],
      ['beta1', 1, 'in [0, 1)'],
      ['beta2', -0.5, 'in [0, 1)'],
      ['epsilon', 0, 'finite and > 0'],
      ['weightDecay', Number.NaN, 'finite and ≥ 0'],
      ['step', 0, 'an integer ≥ 1'],
      ['step', 1.5, 'an integer ≥ 1'],
    ] as const) {
      expect(() => adamUpdate(g, m, v, theta, { ...OPTIONS, [name]: value })).toThrow(
        new RangeError(`adamUpdate: ${name} must be ${expected}, found ${value}`),
      );
    }
  });

  it('rejects tensors of another shape or that share memory', () => {
    const { m, v, theta } = state([1, 2]);
    expect(() => adamUpdate(Tensor.zeros([3]), m, v, theta, OPTIONS)).toThrow(
      'adamUpdate: m must have shape [3] but has [2]',
    );
    expect(() => adamUpdate(Tensor.zeros([2]), m, m.reshape([2]), theta, OPTIONS)).toThrow(
      new ShapeError('adamUpdate', 'm and v share memory'),
    );
    expect(() => adamUpdate(theta, m, v, theta, OPTIONS)).toThrow('g and theta share memory');
  });
});

describe('integerPower', () => {
  it('computes base^exponent by squaring, equal to the float64 power for small exponents', () => {
    expect(integerPower(0.9, 0)).toBe(1);
    expect(integerPower(0.5, 10)).toBe(2 ** -10);
    expect(integerPower(3, 5)).toBe(243);
    expect(integerPower(0.999, 1000)).toBeCloseTo(0.999 ** 1000, 12);
    expect(integerPower(0, 3)).toBe(0);
  });
});
