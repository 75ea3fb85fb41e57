import { describe, expect, it } from 'vitest';
import { createParam } from '../param.js';
import { Adam } from './adam.js';
import { AdamW } from './adamw.js';
import type { Optimizer } from './optimizer.js';

const GRADIENTS = [
  [0.5, -1],
  [1, 1],
  [-1, 0.5],
];

function steps(optimizer: Optimizer): number[][] {
  const p = createParam('w', [2]);
  p.value.data.set([1, 2]);
  return GRADIENTS.map((g) => {
    p.grad.data.set(g);
    optimizer.step([p]);
    return Array.from(p.value.data);
  });
}

function expectClose(actual: number[][], expected: number[][]): void {
  actual.forEach((row, t) => {
    row.forEach((v, i) => {
      expect(v).toBeCloseTo(expected[t][i], 5);
    });
  });
}

describe('AdamW against hand-computed steps (α = 0.1, λ = 0.1, β₁ = 0.9, β₂ = 0.999, θ₀ = [1, 2])', () => {
  it('θ ← θ − α·λ·θ, then the Adam step with m and v untouched by the decay', () => {
    // The Adam steps are those of adam.test.ts: −0.1·[1, −1], −0.1·[0.965181, 0.0526316], −0.1·[0.129935, 0.251434].
    // t = 1: θ·(1 − 0.01) = [0.99, 1.98];           θ = [0.99 − 0.1, 1.98 + 0.1] = [0.89, 2.08]
    // t = 2: θ·0.99 = [0.8811, 2.0592];             θ = [0.8811 − 0.0965181, 2.0592 − 0.00526316] = [0.784582, 2.053937]
    // t = 3: θ·0.99 = [0.776736, 2.033397];         θ = [0.776736 − 0.0129935, 2.033397 − 0.0251434] = [0.763742, 2.008254]
    const optimizer = new AdamW({ learningRate: 0.1, weightDecay: 0.1 });
    expectClose(steps(optimizer), [
      [0.89, 2.08],
      [0.784582, 2.053937],
      [0.763742, 2.008254],
    ]);
    // The moments are Adam's exactly: the decay never enters them.
    const adam = new Adam({ learningRate: 0.1 });
    steps(adam);
    expect(optimizer.state().slots.w).toEqual(adam.state().slots.w);
  });

  it('with λ = 0 is Adam, bit for bit', () => {
    expect(steps(new AdamW({ learningRate: 0.1, weightDecay: 0 }))).toEqual(steps(new Adam({ learningRate: 0.1 })));
  });

  it('decays a parameter whose gradient is zero by (1 − αλ) per step', () => {
    const p = createParam('w', [1]);
    p.value.data[0] = 2;
    const optimizer = new AdamW({ learningRate: 0.5, weightDecay: 0.5 });
    optimizer.step([p]); // m = v = 0, so the Adam step is 0/(0 + ε) = 0
    optimizer.step([p]);
    expect(p.value.data[0]).toBe(2 * 0.75 * 0.75);
  });
});

describe('AdamW options', () => {
  it('defaults to Adam’s defaults and λ = 0.01, and round-trips its config', () => {
    const optimizer = new AdamW();
    expect(optimizer.type).toBe('AdamW');
    expect(optimizer.config()).toEqual({
      learningRate: 0.001,
      beta1: 0.9,
      beta2: 0.999,
      epsilon: 1e-8,
      weightDecay: 0.01,
    });
    const custom = new AdamW({ learningRate: 0.01, weightDecay: 0.05, beta2: 0.98, gradientClipNorm: 1 });
    const rebuilt = AdamW.fromConfig(JSON.parse(JSON.stringify(custom.config())));
    expect(rebuilt).toBeInstanceOf(AdamW);
    expect(rebuilt.config()).toEqual(custom.config());
  });

  it('rejects an invalid decay and names a missing one', () => {
    for (const weightDecay of [-0.1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => new AdamW({ weightDecay })).toThrow(
        new RangeError(`AdamW: weightDecay must be a finite number ≥ 0, found ${weightDecay}`),
      );
    }
    expect(() => new AdamW({ beta1: 1 })).toThrow('AdamW: beta1 must be in [0, 1), found 1');
    const { weightDecay: _, ...withoutDecay } = new AdamW().config();
    expect(() => AdamW.fromConfig(withoutDecay)).toThrow("AdamW config: 'weightDecay' must be a finite number");
  });
});
