import { describe, expect, it } from 'vitest';
import { Momentum } from '../optimizers/momentum.js';
import { createParam } from '../param.js';
import { constantRate, cosineDecay, exponentialDecay, stepDecay, withWarmup } from './schedule.js';

describe('learning-rate schedules, by hand', () => {
  it('constantRate is the same at every step', () => {
    const s = constantRate(0.1);
    expect([s(0), s(1), s(10_000)]).toEqual([0.1, 0.1, 0.1]);
  });

  it('stepDecay multiplies by the factor every `every` steps', () => {
    const s = stepDecay(0.1, 0.5, 10);
    // ⌊t/10⌋ = 0, 0, 1, 1, 2
    expect([s(0), s(9), s(10), s(19), s(25)]).toEqual([0.1, 0.1, 0.05, 0.05, 0.025]);
  });

  it('exponentialDecay is rate · decay^(t/steps)', () => {
    const s = exponentialDecay(0.1, 0.5, 10);
    expect(s(0)).toBe(0.1);
    expect(s(10)).toBeCloseTo(0.05, 12);
    expect(s(20)).toBeCloseTo(0.025, 12);
    expect(s(5)).toBeCloseTo(0.1 * Math.SQRT1_2, 12); // 0.5^(1/2)
  });

  it('cosineDecay goes from rate to minRate over `steps`, then stays flat', () => {
    const s = cosineDecay(0.1, 100);
    expect(s(0)).toBeCloseTo(0.1, 12);
    expect(s(50)).toBeCloseTo(0.05, 12); // (1 + cos(π/2))/2 = 1/2
    expect(s(100)).toBeCloseTo(0, 12);
    expect(s(250)).toBeCloseTo(0, 12);
    const floored = cosineDecay(0.1, 100, 0.01);
    expect(floored(50)).toBeCloseTo(0.055, 12); // 0.01 + 0.09·1/2
    expect(floored(25)).toBeCloseTo(0.01 + (0.09 * (1 + Math.SQRT1_2)) / 2, 12); // cos(π/4) = √½
    expect(floored(1000)).toBeCloseTo(0.01, 12);
  });

  it('withWarmup ramps linearly over the warm-up steps, then defers to the schedule', () => {
    const s = withWarmup(constantRate(0.1), 4);
    // (t + 1)/4 of the rate for t < 4
    expect([0, 1, 2, 3].map(s).map((v) => Number(v.toFixed(12)))).toEqual([0.025, 0.05, 0.075, 0.1]);
    expect([s(4), s(100)]).toEqual([0.1, 0.1]);
    const decaying = withWarmup(stepDecay(0.2, 0.5, 3), 2);
    expect([decaying(0), decaying(1), decaying(2), decaying(3)]).toEqual([0.1, 0.2, 0.2, 0.1]);
  });

  it('rejects invalid arguments with RangeErrors naming the argument', () => {
    expect(() => constantRate(-1)).toThrow(new RangeError('constantRate: rate must be a finite number ≥ 0, found -1'));
    expect(() => constantRate(Number.NaN)).toThrow('constantRate: rate must be a finite number ≥ 0, found NaN');
    expect(() => stepDecay(0.1, 0.5, 0)).toThrow(
      new RangeError('stepDecay: every must be a positive integer, found 0'),
    );
    expect(() => stepDecay(0.1, 0.5, 2.5)).toThrow('stepDecay: every must be a positive integer, found 2.5');
    expect(() => stepDecay(Number.POSITIVE_INFINITY, 0.5, 2)).toThrow(RangeError);
    expect(() => exponentialDecay(0.1, 0.5, -3)).toThrow(
      new RangeError('exponentialDecay: steps must be a positive integer, found -3'),
    );
    expect(() => cosineDecay(0.1, 0)).toThrow(new RangeError('cosineDecay: steps must be a positive integer, found 0'));
    expect(() => withWarmup(constantRate(0.1), 0)).toThrow(
      new RangeError('withWarmup: warmupSteps must be a positive integer, found 0'),
    );
  });
});

describe('a schedule driving an optimizer', () => {
  it('sets the rate of each step from the step count', () => {
    const optimizer = new Momentum({ learningRate: withWarmup(cosineDecay(0.1, 10), 2), momentum: 0 });
    const p = createParam('w', [1]);
    p.grad.data[0] = 1;
    const rates: number[] = [];
    for (let t = 0; t < 4; t++) {
      rates.push(optimizer.currentLearningRate());
      optimizer.step([p]);
    }
    const cosine = (t: number) => (0.1 * (1 + Math.cos((Math.PI * t) / 10))) / 2;
    const expected = [cosine(0) / 2, cosine(1), cosine(2), cosine(3)];
    rates.forEach((r, i) => {
      expect(r).toBeCloseTo(expected[i], 12);
    });
    // With β = 0 the parameter moved by exactly the sum of the rates.
    expect(p.value.data[0]).toBeCloseTo(-expected.reduce((a, b) => a + b), 6);
    expect(optimizer.iterations).toBe(4);
    expect(optimizer.config().learningRate).toBeCloseTo(cosine(4), 12);
  });
});
