import { describe, expect, it } from 'vitest';
import { createParam } from '../param.js';
import { AdaGrad } from './adagrad.js';
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

describe('AdaGrad against hand-computed steps (α = 0.1, ε = 1e-10, θ₀ = [1, 2])', () => {
  it('G ← G + g²; θ ← θ − α·g/(√G + ε), from G = 0', () => {
    // t = 1, g = [0.5, −1]: G = [0.25, 1]; √G = [0.5, 1];          θ = [1 − 0.1, 2 + 0.1] = [0.9, 2.1]
    // t = 2, g = [1, 1]: G = [1.25, 2]; √G = [1.118034, 1.414214]; θ = [0.9 − 0.0894427, 2.1 − 0.0707107] = [0.810557, 2.029289]
    // t = 3, g = [−1, 0.5]: G = [2.25, 2.25]; √G = [1.5, 1.5];     θ = [0.810557 + 0.0666667, 2.029289 − 0.0333333] = [0.877224, 1.995956]
    const optimizer = new AdaGrad({ learningRate: 0.1 });
    expectClose(steps(optimizer), [
      [0.9, 2.1],
      [0.810557, 2.029289],
      [0.877224, 1.995956],
    ]);
    expect(Array.from(optimizer.state().slots.w.accumulator)).toEqual([2.25, 2.25]);
  });

  it('starts G at initialAccumulator', () => {
    // G = [0.1, 0.1] + g²: t = 1: G = [0.35, 1.1]; θ = [1 − 0.05/0.591608, 2 + 0.1/1.048809] = [0.915485, 2.095346]
    // t = 2: G = [1.35, 2.1]; θ = [0.915485 − 0.1/1.161895, 2.095346 − 0.1/1.449138] = [0.829418, 2.026340]
    // t = 3: G = [2.35, 2.35]; θ = [0.829418 + 0.1/1.532971, 2.026340 − 0.05/1.532971] = [0.894651, 1.993723]
    const optimizer = new AdaGrad({ learningRate: 0.1, initialAccumulator: 0.1 });
    expectClose(steps(optimizer), [
      [0.915485, 2.095346],
      [0.829418, 2.02634],
      [0.894651, 1.993723],
    ]);
  });
});

describe('AdaGrad options and state', () => {
  it('defaults to α = 0.01, ε = 1e-10, G₀ = 0', () => {
    expect(new AdaGrad().config()).toEqual({ learningRate: 0.01, epsilon: 1e-10, initialAccumulator: 0 });
  });

  it('rejects invalid options with RangeErrors naming the value', () => {
    expect(() => new AdaGrad({ initialAccumulator: -1 })).toThrow(
      new RangeError('AdaGrad: initialAccumulator must be a finite number ≥ 0, found -1'),
    );
    expect(() => new AdaGrad({ epsilon: 0 })).toThrow(
      new RangeError('AdaGrad: epsilon must be a finite number > 0, found 0'),
    );
    expect(() => new AdaGrad({ learningRate: Number.NaN })).toThrow(RangeError);
  });

  it('fromConfig(config()) rebuilds the same optimizer', () => {
    const optimizer = new AdaGrad({ learningRate: 0.5, epsilon: 1e-7, initialAccumulator: 0.1, gradientClipNorm: 3 });
    expect(AdaGrad.fromConfig(JSON.parse(JSON.stringify(optimizer.config()))).config()).toEqual(optimizer.config());
    expect(() => AdaGrad.fromConfig({ learningRate: 0.5, epsilon: 1e-7 })).toThrow(
      "AdaGrad config: 'initialAccumulator' must be a finite number, found nothing",
    );
  });

  it('state() → loadState() continues bit-identically', () => {
    const make = () => {
      const p = createParam('w', [2]);
      p.value.data.set([1, 2]);
      return p;
    };
    const [a, b] = [make(), make()];
    const first = new AdaGrad({ learningRate: 0.1, initialAccumulator: 0.1 });
    for (const g of GRADIENTS) {
      a.grad.data.set(g);
      first.step([a]);
    }
    b.value.data.set(a.value.data);
    // The loaded accumulator replaces the initial value.
    const resumed = new AdaGrad({ learningRate: 0.1, initialAccumulator: 0.1 });
    resumed.loadState(first.state(), [b]);
    expect(resumed.state().slots.w.accumulator).toEqual(first.state().slots.w.accumulator);
    for (const g of GRADIENTS) {
      a.grad.data.set(g);
      b.grad.data.set(g);
      first.step([a]);
      resumed.step([b]);
    }
    expect(b.value.equals(a.value)).toBe(true);
  });
});
