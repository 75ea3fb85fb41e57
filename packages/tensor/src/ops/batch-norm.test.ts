import { describe, expect, it } from 'vitest';
import { Random } from '../random.js';
import { ShapeError } from '../shape-error.js';
import { Tensor } from '../tensor.js';
import { batchNorm, batchNormBackward, batchNormStatistics } from './batch-norm.js';
import { randomNormal } from './random.js';

describe('batchNormStatistics', () => {
  it('gives the per-feature mean and biased variance of a [batch, features] batch', () => {
    const x = Tensor.fromArray([
      [1, 2],
      [3, 6],
    ]);
    const { mean, variance } = batchNormStatistics(x);
    expect(Array.from(mean.data)).toEqual([2, 4]);
    expect(Array.from(variance.data)).toEqual([1, 4]);
  });

  it('pools batch, height and width per channel of a [batch, channels, H, W] batch', () => {
    // Channel 0 holds 0, 1, 2, 3 and 4, 5, 6, 7 over two examples; channel 1 is constant 9.
    const x = new Tensor(Float32Array.from([0, 1, 2, 3, 9, 9, 9, 9, 4, 5, 6, 7, 9, 9, 9, 9]), [2, 2, 2, 2]);
    const { mean, variance } = batchNormStatistics(x);
    expect(Array.from(mean.data)).toEqual([3.5, 9]);
    expect(Array.from(variance.data)).toEqual([5.25, 0]);
  });

  it('rejects a 1-D input, an empty batch and mistaken outputs', () => {
    expect(() => batchNormStatistics(Tensor.zeros([3]))).toThrow(ShapeError);
    expect(() => batchNormStatistics(Tensor.zeros([0, 3]))).toThrow(/no values per channel/);
    expect(() => batchNormStatistics(Tensor.zeros([2, 3]), { mean: Tensor.zeros([2]) })).toThrow(ShapeError);
  });
});

describe('batchNorm and batchNormBackward', () => {
  it('normalises, scales and shifts each channel, and writes x̂', () => {
    const x = Tensor.fromArray([
      [1, 2],
      [3, 6],
    ]);
    const { mean, variance } = batchNormStatistics(x);
    const xhat = Tensor.zeros([2, 2]);
    const y = batchNorm(x, mean, variance, Tensor.fromArray([2, 1]), Tensor.fromArray([0, 1]), { epsilon: 0, xhat });
    expect(Array.from(xhat.data)).toEqual([-1, -1, 1, 1]);
    expect(Array.from(y.data)).toEqual([-2, 0, 2, 2]);
  });

  it('has the gradient of the batch-statistics function, by finite differences in float64', () => {
    const rng = new Random(3);
    const x = randomNormal([5, 2, 3], rng);
    const gamma = Tensor.fromArray([1.5, -0.5]);
    const beta = Tensor.fromArray([0.2, 0.1]);
    const r = randomNormal([5, 2, 3], rng);
    const loss = (input: Tensor): number => {
      const { mean, variance } = batchNormStatistics(input);
      const y = batchNorm(input, mean, variance, gamma, beta);
      return y.data.reduce((s, v, i) => s + v * r.data[i], 0);
    };
    const { mean, variance } = batchNormStatistics(x);
    const xhat = Tensor.zeros(x.shape);
    batchNorm(x, mean, variance, gamma, beta, { xhat });
    const dgamma = Tensor.zeros([2]);
    const dbeta = Tensor.zeros([2]);
    const dx = batchNormBackward(xhat, r, variance, gamma, dgamma, dbeta);
    for (let i = 0; i < x.size; i += 4) {
      const original = x.data[i];
      x.data[i] = original + 1e-2;
      const plus = loss(x);
      x.data[i] = original - 1e-2;
      const minus = loss(x);
      x.data[i] = original;
      expect(dx.data[i]).toBeCloseTo((plus - minus) / 2e-2, 2);
    }
  });

  it('checks shapes, epsilon and aliasing', () => {
    const x = Tensor.zeros([2, 3]);
    const c = Tensor.zeros([3]);
    expect(() => batchNorm(x, Tensor.zeros([2]), c, c, c)).toThrow(ShapeError);
    expect(() => batchNorm(x, c, c, c, c, { epsilon: -1 })).toThrow(RangeError);
    expect(() => batchNorm(x, c, c, c, c, { out: x, xhat: x })).toThrow(/share memory/);
    expect(() => batchNormBackward(x, Tensor.zeros([3, 2]), c, c, c, Tensor.zeros([3]))).toThrow(ShapeError);
    expect(() => batchNormBackward(x, x, c, c, c, c)).toThrow(/share memory/);
  });
});
