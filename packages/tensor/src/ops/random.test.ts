import { describe, expect, it } from 'vitest';
import { Random } from '../random.js';
import { ShapeError } from '../shape-error.js';
import { randomNormal, randomUniform } from './random.js';

function meanAndStd(values: Float32Array): { mean: number; std: number } {
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / values.length;
  let squares = 0;
  for (const v of values) squares += (v - mean) ** 2;
  return { mean, std: Math.sqrt(squares / values.length) };
}

describe('randomNormal', () => {
  it('has the requested mean and standard deviation over 1e5 samples', () => {
    const x = randomNormal([100, 1000], new Random(1), 2, 0.5);
    expect(x.shape).toEqual([100, 1000]);
    const { mean, std } = meanAndStd(x.data);
    // Standard errors: 0.5/√1e5 ≈ 0.0016 for the mean, about 0.0011 for the std.
    expect(Math.abs(mean - 2)).toBeLessThan(0.01);
    expect(Math.abs(std - 0.5)).toBeLessThan(0.01);
  });

  it('defaults to N(0, 1)', () => {
    const { mean, std } = meanAndStd(randomNormal([100_000], new Random(2)).data);
    expect(Math.abs(mean)).toBeLessThan(0.02);
    expect(Math.abs(std - 1)).toBeLessThan(0.02);
  });

  it('is determined by the seed and draws the generator`s normal() stream', () => {
    const a = randomNormal([3, 4], new Random(3));
    expect(a.equals(randomNormal([3, 4], new Random(3)))).toBe(true);
    expect(a.equals(randomNormal([3, 4], new Random(4)))).toBe(false);
    const rng = new Random(3);
    expect(Array.from(a.data)).toEqual(Array.from({ length: 12 }, () => Math.fround(rng.normal())));
  });

  it('advances the generator it is given', () => {
    const rng = new Random(5);
    const first = randomNormal([4], rng);
    expect(randomNormal([4], rng).equals(first)).toBe(false);
  });

  it('rejects a bad shape', () => {
    expect(() => randomNormal([2, -1], new Random(1))).toThrow(ShapeError);
  });
});

describe('randomUniform', () => {
  it('stays in [low, high) with the mean and std of a uniform distribution over 1e5 samples', () => {
    const x = randomUniform([100_000], new Random(6), -1, 3);
    expect(x.data.every((v) => v >= -1 && v < 3)).toBe(true);
    const { mean, std } = meanAndStd(x.data);
    expect(Math.abs(mean - 1)).toBeLessThan(0.02);
    expect(Math.abs(std - 4 / Math.sqrt(12))).toBeLessThan(0.02);
  });

  it('defaults to [0, 1) and is determined by the seed', () => {
    const x = randomUniform([2, 5], new Random(7));
    expect(x.data.every((v) => v >= 0 && v < 1)).toBe(true);
    expect(x.equals(randomUniform([2, 5], new Random(7)))).toBe(true);
    expect(x.equals(randomUniform([2, 5], new Random(8)))).toBe(false);
    const rng = new Random(7);
    expect(Array.from(x.data)).toEqual(Array.from({ length: 10 }, () => Math.fround(rng.uniform())));
  });

  it('gives an empty tensor for a zero-sized shape without drawing', () => {
    const rng = new Random(9);
    const state = rng.getState();
    expect(randomUniform([0, 3], rng).shape).toEqual([0, 3]);
    expect(rng.getState()).toEqual(state);
  });
});
