import type { AdamStep, RMSpropStep } from '../../backend/backend.js';
import { type CaseList, expectExact, f32, LENGTHS, random } from './harness.js';

/**
 * Adds the cases of the fused optimizer updates (`adamUpdate`, `rmspropUpdate`, `momentumUpdate`, `adagradUpdate`):
 * one step worked out by hand for each, then random arrays of every length in {@link LENGTHS}, where every array the
 * step updates is compared with the reference and guarded against stray writes.
 */
export function addOptimizerCases(list: CaseList): void {
  for (const n of LENGTHS) addRandomCases(list, n);
  addHandAdamCase(list);
  addHandRMSpropCase(list);
  addHandMomentumAndAdaGradCases(list);
}

function addRandomCases(list: CaseList, n: number): void {
  for (const weightDecay of [0, 0.01]) {
    list.add(`adamUpdate n=${n} weightDecay=${weightDecay}`, (rng) => {
      const [g, m, theta] = [random(rng, n), random(rng, n), random(rng, n)];
      const v = random(rng, n).map((x) => x * x);
      // Step 3 of β₁ = 0.9, β₂ = 0.999: c₁ = 1 − 0.9³, c₂ = 1 − 0.999³.
      const step: AdamStep = {
        learningRate: 0.01,
        beta1: 0.9,
        beta2: 0.999,
        epsilon: 1e-8,
        weightDecay,
        correction1: 0.271,
        correction2: 0.002997001,
      };
      list.compareUpdate(['m', 'v', 'theta'], [m, v, theta], (k, [mOut, vOut, thetaOut]) =>
        k.adamUpdate(n, step, g, mOut, vOut, thetaOut),
      );
    });
  }
  for (const momentum of [0, 0.9]) {
    list.add(`rmspropUpdate n=${n} momentum=${momentum}`, (rng) => {
      const [g, velocity, theta] = [random(rng, n), random(rng, n), random(rng, n)];
      const meanSquare = random(rng, n).map((x) => x * x);
      const step: RMSpropStep = { learningRate: 0.01, rho: 0.9, epsilon: 1e-8, momentum };
      list.compareUpdate(['meanSquare', 'velocity', 'theta'], [meanSquare, velocity, theta], (k, [s, b, t]) =>
        k.rmspropUpdate(n, step, g, s, b, t),
      );
    });
  }
  for (const nesterov of [false, true]) {
    list.add(`momentumUpdate n=${n} nesterov=${nesterov}`, (rng) => {
      const [g, velocity, theta] = [random(rng, n), random(rng, n), random(rng, n)];
      const step = { learningRate: 0.1, momentum: 0.9, gradScale: 0.1, nesterov };
      list.compareUpdate(['velocity', 'theta'], [velocity, theta], (k, [v, t]) => k.momentumUpdate(n, step, g, v, t));
    });
  }
  list.add(`adagradUpdate n=${n}`, (rng) => {
    const [g, theta] = [random(rng, n), random(rng, n)];
    const accumulator = random(rng, n).map((x) => x * x);
    list.compareUpdate(['accumulator', 'theta'], [accumulator, theta], (k, [a, t]) =>
      k.adagradUpdate(n, { learningRate: 0.1, epsilon: 1e-10 }, g, a, t),
    );
  });
}

function addHandAdamCase(list: CaseList): void {
  const { backend } = list;
  list.add('adamUpdate by hand: one step, with and without weight decay', () => {
    // θ = [1, 2], g = [2, −4], m = v = 0, α = 0.5, β₁ = 0.5, β₂ = 0.9375, ε = 0, t = 1 (c₁ = 0.5, c₂ = 0.0625):
    // m = 0.5·g = [1, −2]; v = 0.0625·g² = [0.25, 1]; m̂ = m/0.5 = [2, −4]; √v̂ = √(v/0.0625) = [2, 4];
    // θ = [1, 2] − 0.5·[1, −1] = [0.5, 2.5]. (Without the corrections the step would be 0.5·m/√v = [1, −1].)
    const step: AdamStep = {
      learningRate: 0.5,
      beta1: 0.5,
      beta2: 0.9375,
      epsilon: 0,
      weightDecay: 0,
      correction1: 0.5,
      correction2: 0.0625,
    };
    const [m, v, theta] = [new Float32Array(2), new Float32Array(2), f32([1, 2])];
    backend.adamUpdate(2, step, f32([2, -4]), m, v, theta);
    expectExact('m', m, [1, -2]);
    expectExact('v', v, [0.25, 1]);
    expectExact('θ', theta, [0.5, 2.5]);
    // With λ = 0.5: θ·(1 − 0.5·0.5) = [0.75, 1.5], then − [0.5, −0.5] = [0.25, 2].
    const [m2, v2, decayed] = [new Float32Array(2), new Float32Array(2), f32([1, 2])];
    backend.adamUpdate(2, { ...step, weightDecay: 0.5 }, f32([2, -4]), m2, v2, decayed);
    expectExact('θ with weight decay', decayed, [0.25, 2]);
  });
}

function addHandRMSpropCase(list: CaseList): void {
  const { backend } = list;
  list.add('rmspropUpdate by hand: one step, with and without momentum', () => {
    // θ = [1, 2], g = [2, −4], s = 0, ρ = 0.75, α = 0.25, ε = 0: s = 0.25·g² = [1, 4]; g/√s = [2, −2];
    // θ = [1, 2] − 0.25·[2, −2] = [0.5, 2.5]. Without momentum the velocity is neither read nor written.
    const step: RMSpropStep = { learningRate: 0.25, rho: 0.75, epsilon: 0, momentum: 0 };
    const [s, velocity, theta] = [new Float32Array(2), f32([Number.NaN, Number.NaN]), f32([1, 2])];
    backend.rmspropUpdate(2, step, f32([2, -4]), s, velocity, theta);
    expectExact('s', s, [1, 4]);
    expectExact('θ', theta, [0.5, 2.5]);
    expectExact('velocity', velocity, [Number.NaN, Number.NaN]);
    // With μ = 0.5 and b = [1, 1]: b = 0.5·[1, 1] + [2, −2] = [2.5, −1.5]; θ = [1, 2] − 0.25·b = [0.375, 2.375].
    const [s2, b, theta2] = [new Float32Array(2), f32([1, 1]), f32([1, 2])];
    backend.rmspropUpdate(2, { ...step, momentum: 0.5 }, f32([2, -4]), s2, b, theta2);
    expectExact('b', b, [2.5, -1.5]);
    expectExact('θ with momentum', theta2, [0.375, 2.375]);
  });
}

function addHandMomentumAndAdaGradCases(list: CaseList): void {
  const { backend } = list;
  list.add('momentumUpdate by hand', () => {
    // β = 0.5, c = 0.5, α = 0.25, g = [2, 4], v = [1, −2]: v = [1.5, 1]; θ = [1, 2] − 0.25·v = [0.625, 1.75].
    const [velocity, theta] = [f32([1, -2]), f32([1, 2])];
    const step = { learningRate: 0.25, momentum: 0.5, gradScale: 0.5, nesterov: false };
    backend.momentumUpdate(2, step, f32([2, 4]), velocity, theta);
    expectExact('v', velocity, [1.5, 1]);
    expectExact('θ', theta, [0.625, 1.75]);
    // Nesterov, β = 0.5, c = 1, α = 1, g = 2, v = 1: v = 2.5; θ = 0 − (0.5·2.5 + 2) = −3.25.
    const [v1, t1] = [f32([1]), f32([0])];
    backend.momentumUpdate(1, { learningRate: 1, momentum: 0.5, gradScale: 1, nesterov: true }, f32([2]), v1, t1);
    expectExact('v', v1, [2.5]);
    expectExact('θ with Nesterov', t1, [-3.25]);
  });
  list.add('adagradUpdate by hand', () => {
    // θ = [1, 2], g = [3, 4], G = [0, 48], α = 0.5, ε = 0: G = [9, 64]; g/√G = [1, 0.5]; θ = [0.5, 1.75].
    const [accumulator, theta] = [f32([0, 48]), f32([1, 2])];
    backend.adagradUpdate(2, { learningRate: 0.5, epsilon: 0 }, f32([3, 4]), accumulator, theta);
    expectExact('G', accumulator, [9, 64]);
    expectExact('θ', theta, [0.5, 1.75]);
  });
}
