import { describe, expect, it } from 'vitest';
import { createParam, type Param } from '../param.js';
import { Momentum, type MomentumOptions } from './momentum.js';

const GRADIENTS = [1, 2, -1];

/** Runs three steps on a one-value parameter θ₀ = 1 with gradients 1, 2, −1; returns θ after each step. */
function threeSteps(options: MomentumOptions): { values: number[]; velocity: number } {
  const p = createParam('w', [1]);
  p.value.data[0] = 1;
  const optimizer = new Momentum({ learningRate: 0.1, momentum: 0.9, ...options });
  const values: number[] = [];
  for (const g of GRADIENTS) {
    p.grad.data[0] = g;
    optimizer.step([p]);
    values.push(p.value.data[0]);
  }
  return { values, velocity: optimizer.state().slots.w.velocity[0] };
}

function expectClose(actual: number[], expected: number[]): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((v, i) => {
    expect(v).toBeCloseTo(expected[i], 6);
  });
}

describe('Momentum against hand-computed steps (α = 0.1, β = 0.9, θ₀ = 1, g = 1, 2, −1)', () => {
  it('average form (default): v ← βv + (1−β)g; θ ← θ − αv', () => {
    // v₁ = 0.9·0 + 0.1·1 = 0.1;      θ₁ = 1 − 0.1·0.1 = 0.99
    // v₂ = 0.9·0.1 + 0.1·2 = 0.29;   θ₂ = 0.99 − 0.1·0.29 = 0.961
    // v₃ = 0.9·0.29 + 0.1·(−1) = 0.161; θ₃ = 0.961 − 0.1·0.161 = 0.9449
    const { values, velocity } = threeSteps({});
    expectClose(values, [0.99, 0.961, 0.9449]);
    expect(velocity).toBeCloseTo(0.161, 6);
    expectClose(threeSteps({ form: 'average' }).values, values);
  });

  it('heavyBall form: v ← βv + g; θ ← θ − αv', () => {
    // v₁ = 1;                θ₁ = 1 − 0.1 = 0.9
    // v₂ = 0.9 + 2 = 2.9;     θ₂ = 0.9 − 0.29 = 0.61
    // v₃ = 2.61 − 1 = 1.61;   θ₃ = 0.61 − 0.161 = 0.449
    const { values, velocity } = threeSteps({ form: 'heavyBall' });
    expectClose(values, [0.9, 0.61, 0.449]);
    expect(velocity).toBeCloseTo(1.61, 6);
  });

  it('Nesterov, heavyBall form: the step is g + βv (with v already updated)', () => {
    // v₁ = 1;    step = 1 + 0.9·1 = 1.9;        θ₁ = 1 − 0.19 = 0.81
    // v₂ = 2.9;  step = 2 + 0.9·2.9 = 4.61;     θ₂ = 0.81 − 0.461 = 0.349
    // v₃ = 1.61; step = −1 + 0.9·1.61 = 0.449;  θ₃ = 0.349 − 0.0449 = 0.3041
    expectClose(threeSteps({ form: 'heavyBall', nesterov: true }).values, [0.81, 0.349, 0.3041]);
  });

  it('Nesterov, average form: the step is (1−β)g + βv (with v already updated)', () => {
    // v₁ = 0.1;   step = 0.1·1 + 0.9·0.1 = 0.19;       θ₁ = 1 − 0.019 = 0.981
    // v₂ = 0.29;  step = 0.1·2 + 0.9·0.29 = 0.461;     θ₂ = 0.981 − 0.0461 = 0.9349
    // v₃ = 0.161; step = 0.1·(−1) + 0.9·0.161 = 0.0449; θ₃ = 0.9349 − 0.00449 = 0.93041
    expectClose(threeSteps({ nesterov: true }).values, [0.981, 0.9349, 0.93041]);
  });

  it('with β = 0 is plain SGD', () => {
    // θ = 1 − 0.1·1 − 0.1·2 + 0.1·1
    expectClose(threeSteps({ momentum: 0 }).values, [0.9, 0.7, 0.8]);
  });
});

describe('Momentum options', () => {
  it('defaults to α = 0.1, β = 0.9, the average form, no Nesterov', () => {
    const m = new Momentum();
    expect([m.currentLearningRate(), m.momentum, m.form, m.nesterov]).toEqual([0.1, 0.9, 'average', false]);
    expect(m.config()).toEqual({ learningRate: 0.1, momentum: 0.9, form: 'average', nesterov: false });
  });

  it('rejects invalid options with RangeErrors naming the value', () => {
    for (const momentum of [1, -0.1, 1.5, Number.NaN]) {
      expect(() => new Momentum({ momentum })).toThrow(
        new RangeError(`Momentum: momentum must be in [0, 1), found ${momentum}`),
      );
    }
    expect(() => new Momentum({ form: 'nesterov' as 'average' })).toThrow(
      new RangeError("Momentum: form must be 'average' or 'heavyBall', found 'nesterov'"),
    );
    expect(() => new Momentum({ learningRate: -1 })).toThrow(RangeError);
    expect(() => new Momentum({ learningRate: -1 })).toThrow('found -1');
  });

  it('fromConfig(config()) rebuilds the same optimizer', () => {
    const m = new Momentum({ learningRate: 0.05, momentum: 0.5, form: 'heavyBall', nesterov: true });
    expect(Momentum.fromConfig(m.config()).config()).toEqual(m.config());
    expect(() => Momentum.fromConfig({ ...m.config(), form: 'other' })).toThrow(/'form' must be one of/);
    expect(() => Momentum.fromConfig({ learningRate: 0.1, form: 'average', nesterov: false })).toThrow(
      /'momentum' must be a finite number, found nothing/,
    );
  });
});

describe('Momentum state', () => {
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

  it('creates each parameter’s velocity lazily, on the first step that sees it', () => {
    const [a, b] = makeParams();
    const m = new Momentum({ learningRate: 0.1 });
    expect(m.state()).toEqual({ type: 'Momentum', iterations: 0, slots: {} });
    a.grad.data.set([1, 1]);
    m.step([a]);
    expect(Object.keys(m.state().slots)).toEqual(['a']);
    b.grad.data.set([1, 1, 1]);
    m.step([a, b]);
    const state = m.state();
    expect(Object.keys(state.slots)).toEqual(['a', 'b']);
    // a has seen two steps of g = 1 (v = 0.1, then 0.19); b starts from zero (v = 0.1).
    expect(state.slots.a.velocity[0]).toBeCloseTo(0.19, 6);
    expect(state.slots.b.velocity[0]).toBeCloseTo(0.1, 6);
    expect(state.iterations).toBe(2);
  });

  it('state() is a copy', () => {
    const params = makeParams();
    const m = new Momentum();
    setGradients(params, 0);
    m.step(params);
    const state = m.state();
    state.slots.a.velocity.fill(100);
    expect(m.state().slots.a.velocity[0]).not.toBe(100);
  });

  it('state() → loadState() continues bit-identically', () => {
    const original = makeParams();
    const m = new Momentum({ learningRate: 0.1, nesterov: true });
    for (let t = 0; t < 3; t++) {
      setGradients(original, t);
      m.step(original);
    }
    const copy = original.map((p) => ({ ...p, value: p.value.clone(), grad: p.grad.clone() }));
    const resumed = new Momentum({ learningRate: 0.1, nesterov: true });
    resumed.loadState(m.state(), copy);
    expect(resumed.iterations).toBe(3);
    for (let t = 3; t < 6; t++) {
      setGradients(original, t);
      setGradients(copy, t);
      m.step(original);
      resumed.step(copy);
    }
    original.forEach((p, i) => {
      expect(copy[i].value.equals(p.value)).toBe(true);
    });
    // Without the velocities the run differs: the state really is what carried over.
    const fresh = original.map((p) => ({ ...p, value: p.value.clone(), grad: p.grad.clone() }));
    const restarted = new Momentum({ learningRate: 0.1, nesterov: true });
    setGradients(original, 6);
    setGradients(fresh, 6);
    m.step(original);
    restarted.step(fresh);
    expect(fresh[0].value.equals(original[0].value)).toBe(false);
  });

  it('loadState rejects another optimizer’s state, a wrong slot length and an unknown parameter', () => {
    const params = makeParams();
    const m = new Momentum();
    const slots = { a: { velocity: new Float32Array(2) } };
    expect(() => m.loadState({ type: 'SGD', iterations: 0, slots }, params)).toThrow(
      new TypeError('Momentum.loadState: the state was saved by SGD, not Momentum'),
    );
    expect(() =>
      m.loadState({ type: 'Momentum', iterations: 0, slots: { a: { velocity: new Float32Array(3) } } }, params),
    ).toThrow(new RangeError("Momentum.loadState: slot 'velocity' of 'a' must hold 2 values, found 3"));
    expect(() => m.loadState({ type: 'Momentum', iterations: 0, slots: { a: {} } }, params)).toThrow(
      "slot 'velocity' of 'a' must hold 2 values, found none",
    );
    expect(() =>
      m.loadState({ type: 'Momentum', iterations: 0, slots: { c: { velocity: new Float32Array(2) } } }, params),
    ).toThrow(new RangeError("Momentum.loadState: the state has slots for 'c', which is not a parameter"));
    expect(() => m.loadState({ type: 'Momentum', iterations: -1, slots }, params)).toThrow(
      'iterations must be a non-negative integer, found -1',
    );
  });

  it('a rejected state leaves the optimizer as it was', () => {
    const params = makeParams();
    const m = new Momentum();
    setGradients(params, 0);
    m.step(params);
    const before = m.state();
    const bad = { a: { velocity: new Float32Array(2).fill(5) }, b: { velocity: new Float32Array(1) } };
    expect(() => m.loadState({ type: 'Momentum', iterations: 7, slots: bad }, params)).toThrow(RangeError);
    expect(m.state()).toEqual(before);
  });
});
