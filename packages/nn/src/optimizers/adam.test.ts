import { describe, expect, it } from 'vitest';
import { createParam, type Param } from '../param.js';
import { Adam, type AdamOptions } from './adam.js';
import type { Optimizer } from './optimizer.js';

/** Gradients of three steps on a two-element parameter θ₀ = [1, 2]. */
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
  expect(actual).toHaveLength(expected.length);
  actual.forEach((row, t) => {
    row.forEach((v, i) => {
      expect(v).toBeCloseTo(expected[t][i], 5);
    });
  });
}

describe('Adam against hand-computed steps (α = 0.1, β₁ = 0.9, β₂ = 0.999, ε = 1e-8, θ₀ = [1, 2])', () => {
  it('m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²; θ ← θ − α·m̂/(√v̂ + ε)', () => {
    // t = 1, g = [0.5, −1]: m = [0.05, −0.1], v = [0.00025, 0.001]; c₁ = 0.1, c₂ = 0.001;
    //   m̂ = [0.5, −1], v̂ = [0.25, 1], √v̂ = [0.5, 1]; θ = [1, 2] − 0.1·[1, −1] = [0.9, 2.1].
    //   (The first step is α·sign(g) whatever |g|: the bias correction makes m̂/√v̂ = g/|g|.)
    // t = 2, g = [1, 1]: m = 0.9·[0.05, −0.1] + 0.1·[1, 1] = [0.145, 0.01];
    //   v = 0.999·[0.00025, 0.001] + 0.001·[1, 1] = [0.00124975, 0.001999]; c₁ = 0.19, c₂ = 0.001999;
    //   m̂ = [0.763158, 0.0526316], v̂ = [0.625188, 1], √v̂ = [0.790688, 1];
    //   θ = [0.9 − 0.1·0.965181, 2.1 − 0.1·0.0526316] = [0.803482, 2.094737].
    // t = 3, g = [−1, 0.5]: m = [0.0305, 0.059], v = [0.0022485, 0.002247001]; c₁ = 0.271, c₂ = 0.002997001;
    //   m̂ = [0.112546, 0.217712], √v̂ = [0.866170, 0.865881];
    //   θ = [0.803482 − 0.1·0.129935, 2.094737 − 0.1·0.251434] = [0.790488, 2.069593].
    const optimizer = new Adam({ learningRate: 0.1 });
    expectClose(steps(optimizer), [
      [0.9, 2.1],
      [0.803482, 2.094737],
      [0.790488, 2.069593],
    ]);
    const { m, v } = optimizer.state().slots.w;
    expect(Array.from(m)[0]).toBeCloseTo(0.0305, 6);
    expect(Array.from(v)[1]).toBeCloseTo(0.002247001, 8);
  });

  it('with β₁ = 0 and β₂ near 0 steps by about α·sign(g) every time', () => {
    // m = g, v ≈ g², so m̂/√v̂ ≈ g/|g|: θ moves by α against the sign of each gradient.
    expectClose(steps(new Adam({ learningRate: 0.1, beta1: 0, beta2: 1e-9 })), [
      [0.9, 2.1],
      [0.8, 2.0],
      [0.9, 1.9],
    ]);
  });
});

describe('Adam options', () => {
  it('defaults to α = 0.001, β₁ = 0.9, β₂ = 0.999, ε = 1e-8, no clipping', () => {
    const adam = new Adam();
    expect([adam.currentLearningRate(), adam.beta1, adam.beta2, adam.epsilon]).toEqual([0.001, 0.9, 0.999, 1e-8]);
    expect(adam.gradientClipNorm).toBeUndefined();
    expect(adam.config()).toEqual({ learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 });
  });

  it('rejects invalid options with RangeErrors naming the value', () => {
    const cases: [AdamOptions, string][] = [
      [{ beta1: 1 }, 'Adam: beta1 must be in [0, 1), found 1'],
      [{ beta1: -0.1 }, 'Adam: beta1 must be in [0, 1), found -0.1'],
      [{ beta2: Number.NaN }, 'Adam: beta2 must be in [0, 1), found NaN'],
      [{ epsilon: 0 }, 'Adam: epsilon must be a finite number > 0, found 0'],
      [{ epsilon: Number.POSITIVE_INFINITY }, 'Adam: epsilon must be a finite number > 0, found Infinity'],
      [{ learningRate: -1 }, 'Adam: the learning rate must be a finite number ≥ 0, found -1 at step 0'],
      [{ gradientClipNorm: 0 }, 'Adam: gradientClipNorm must be a finite number > 0, found 0'],
    ];
    for (const [options, message] of cases) expect(() => new Adam(options)).toThrow(new RangeError(message));
  });

  it('fromConfig(config()) rebuilds the same optimizer, and names a missing field', () => {
    const adam = new Adam({ learningRate: 0.01, beta1: 0.8, beta2: 0.99, epsilon: 1e-6, gradientClipNorm: 5 });
    expect(adam.config()).toEqual({ learningRate: 0.01, beta1: 0.8, beta2: 0.99, epsilon: 1e-6, gradientClipNorm: 5 });
    expect(Adam.fromConfig(JSON.parse(JSON.stringify(adam.config()))).config()).toEqual(adam.config());
    expect(() => Adam.fromConfig({ learningRate: 0.1, beta1: 0.9, epsilon: 1e-8 })).toThrow(
      "Adam config: 'beta2' must be a finite number, found nothing",
    );
    expect(() => Adam.fromConfig({ ...adam.config(), beta1: 2 })).toThrow(RangeError);
  });
});

describe('Adam state', () => {
  function makeParams(): Param[] {
    const a = createParam('a', [2]);
    const b = createParam('b', [3]);
    a.value.data.set([1, -1]);
    b.value.data.set([0.5, 0, 2]);
    return [a, b];
  }
  function setGradients(params: Param[], t: number): void {
    for (const p of params) for (let i = 0; i < p.grad.size; i++) p.grad.data[i] = Math.sin(t + i) + p.name.length;
  }
  const copy = (params: Param[]) => params.map((p) => ({ ...p, value: p.value.clone(), grad: p.grad.clone() }));

  it('keeps m and v per parameter, created on first sight', () => {
    const [a] = makeParams();
    const adam = new Adam();
    expect(adam.state()).toEqual({ type: 'Adam', iterations: 0, slots: {} });
    a.grad.data.set([1, -2]);
    adam.step([a]);
    // m = 0.1·g, v = 0.001·g²
    const { m, v } = adam.state().slots.a;
    expect(Array.from(m)).toEqual([Math.fround(0.1), Math.fround(-0.2)]);
    expect(Array.from(v)).toEqual([Math.fround(0.001), Math.fround(0.004)]);
  });

  it('state() → loadState() continues bit-identically, bias corrections included', () => {
    const original = makeParams();
    const adam = new Adam({ learningRate: 0.05 });
    for (let t = 0; t < 3; t++) {
      setGradients(original, t);
      adam.step(original);
    }
    const resumedParams = copy(original);
    const resumed = new Adam({ learningRate: 0.05 });
    resumed.loadState(adam.state(), resumedParams);
    expect(resumed.iterations).toBe(3);
    for (let t = 3; t < 6; t++) {
      setGradients(original, t);
      setGradients(resumedParams, t);
      adam.step(original);
      resumed.step(resumedParams);
    }
    original.forEach((p, i) => {
      expect(resumedParams[i].value.equals(p.value)).toBe(true);
    });
    // Restarting from zero moments (and t = 1) diverges: the state is what carried over.
    const fresh = copy(original);
    setGradients(original, 6);
    setGradients(fresh, 6);
    adam.step(original);
    new Adam({ learningRate: 0.05 }).step(fresh);
    expect(fresh[0].value.equals(original[0].value)).toBe(false);
  });

  it('loadState rejects a missing slot and another optimizer’s state', () => {
    const params = makeParams();
    const adam = new Adam();
    expect(() =>
      adam.loadState({ type: 'Adam', iterations: 1, slots: { a: { m: new Float32Array(2) } } }, params),
    ).toThrow("Adam.loadState: slot 'v' of 'a' must hold 2 values, found none");
    expect(() => adam.loadState({ type: 'AdamW', iterations: 0, slots: {} }, params)).toThrow(
      'the state was saved by AdamW, not Adam',
    );
  });
});
