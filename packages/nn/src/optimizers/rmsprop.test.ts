import { describe, expect, it } from 'vitest';
import { createParam } from '../param.js';
import type { Optimizer } from './optimizer.js';
import { RMSprop, type RMSpropOptions } from './rmsprop.js';

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

describe('RMSprop against hand-computed steps (α = 0.01, ρ = 0.9, ε = 1e-8, θ₀ = [1, 2])', () => {
  it('s ← ρs + (1−ρ)g²; θ ← θ − α·g/(√s + ε)', () => {
    // t = 1, g = [0.5, −1]: s = 0.1·g² = [0.025, 0.1]; √s = [0.158114, 0.316228];
    //   θ = [1 − 0.01·3.162278, 2 + 0.01·3.162278] = [0.968377, 2.031623]
    // t = 2, g = [1, 1]: s = 0.9·[0.025, 0.1] + 0.1 = [0.1225, 0.19]; √s = [0.35, 0.435890];
    //   θ = [0.968377 − 0.01·2.857143, 2.031623 − 0.01·2.294157] = [0.939806, 2.008681]
    // t = 3, g = [−1, 0.5]: s = [0.21025, 0.196]; √s = [0.458530, 0.442719];
    //   θ = [0.939806 + 0.01·2.180880, 2.008681 − 0.01·1.129385] = [0.961615, 1.997387]
    const optimizer = new RMSprop({ learningRate: 0.01 });
    expectClose(steps(optimizer), [
      [0.968377, 2.031623],
      [0.939806, 2.008681],
      [0.961615, 1.997387],
    ]);
    expect(Object.keys(optimizer.state().slots.w)).toEqual(['meanSquare']);
    expect(optimizer.state().slots.w.meanSquare[0]).toBeCloseTo(0.21025, 6);
  });

  it('with momentum μ: v ← μv + g/(√s + ε); θ ← θ − α·v', () => {
    // s as above. t = 1: v = [3.162278, −3.162278];                       θ = [0.968377, 2.031623]
    // t = 2: v = 0.5·v + [2.857143, 2.294157] = [4.438282, 0.713018];     θ = [0.923994, 2.024493]
    // t = 3: v = 0.5·v + [−2.180880, 1.129385] = [0.038260, 1.485894];    θ = [0.923612, 2.009634]
    const optimizer = new RMSprop({ learningRate: 0.01, momentum: 0.5 });
    expectClose(steps(optimizer), [
      [0.968377, 2.031623],
      [0.923994, 2.024493],
      [0.923612, 2.009634],
    ]);
    expect(Object.keys(optimizer.state().slots.w)).toEqual(['meanSquare', 'velocity']);
    expect(optimizer.state().slots.w.velocity[1]).toBeCloseTo(1.485894, 5);
  });
});

describe('RMSprop options and state', () => {
  it('defaults to α = 0.001, ρ = 0.9, ε = 1e-8, no momentum', () => {
    expect(new RMSprop().config()).toEqual({ learningRate: 0.001, rho: 0.9, epsilon: 1e-8, momentum: 0 });
  });

  it('rejects invalid options with RangeErrors naming the value', () => {
    const cases: [RMSpropOptions, string][] = [
      [{ rho: 1 }, 'RMSprop: rho must be in [0, 1), found 1'],
      [{ momentum: -0.5 }, 'RMSprop: momentum must be in [0, 1), found -0.5'],
      [{ epsilon: -1 }, 'RMSprop: epsilon must be a finite number > 0, found -1'],
      [{ gradientClipNorm: Number.NaN }, 'RMSprop: gradientClipNorm must be a finite number > 0, found NaN'],
    ];
    for (const [options, message] of cases) expect(() => new RMSprop(options)).toThrow(new RangeError(message));
  });

  it('fromConfig(config()) rebuilds the same optimizer', () => {
    const optimizer = new RMSprop({ learningRate: 0.02, rho: 0.95, epsilon: 1e-6, momentum: 0.9, gradientClipNorm: 2 });
    expect(RMSprop.fromConfig(JSON.parse(JSON.stringify(optimizer.config()))).config()).toEqual(optimizer.config());
    expect(() => RMSprop.fromConfig({ learningRate: 0.1, rho: 0.9, epsilon: 1e-8 })).toThrow(
      "RMSprop config: 'momentum' must be a finite number, found nothing",
    );
  });

  it('state() → loadState() continues bit-identically, velocity included', () => {
    const make = () => {
      const p = createParam('w', [2]);
      p.value.data.set([1, 2]);
      return p;
    };
    const [a, b] = [make(), make()];
    const first = new RMSprop({ learningRate: 0.01, momentum: 0.9 });
    for (const g of GRADIENTS) {
      a.grad.data.set(g);
      first.step([a]);
    }
    b.value.data.set(a.value.data);
    const resumed = new RMSprop({ learningRate: 0.01, momentum: 0.9 });
    resumed.loadState(first.state(), [b]);
    for (const g of GRADIENTS) {
      a.grad.data.set(g);
      b.grad.data.set(g);
      first.step([a]);
      resumed.step([b]);
    }
    expect(b.value.equals(a.value)).toBe(true);
    // A state without the velocity does not fit an optimizer with momentum.
    const noMomentum = new RMSprop();
    noMomentum.step([b]);
    expect(() => resumed.loadState({ ...noMomentum.state(), type: 'RMSprop' }, [b])).toThrow(
      "slot 'velocity' of 'w' must hold 2 values, found none",
    );
  });
});
