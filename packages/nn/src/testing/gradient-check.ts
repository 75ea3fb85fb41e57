import { dot, Random, randomUniform, type Tensor } from '@mnist/tensor';
import type { ForwardContext, Layer } from '../layer.js';
import { zeroGrad } from '../layer.js';

/** Options of {@link gradientCheck}. */
export interface GradientCheckOptions {
  /** Seed of the random projection and coordinate sampling. Default 1. */
  seed?: number;
  /** Finite-difference step. Default `1e-2` (float32 forward passes need a large step). */
  epsilon?: number;
  /** Relative tolerance. Default `2e-2`. */
  rtol?: number;
  /** Absolute tolerance. Default `2e-3`. */
  atol?: number;
  /** Coordinates checked per tensor (input and each parameter), sampled at random. Default 40. */
  samples?: number;
  /**
   * The forward context, rebuilt for every forward pass so stochastic layers repeat themselves (for dropout, a
   * context with a fresh `Random` of a fixed seed). Default: inference mode.
   */
  context?: () => ForwardContext;
}

/** One mismatch found by {@link gradientCheck}. */
export interface GradientMismatch {
  /** `input` or the parameter's name. */
  tensor: string;
  /** Flat index of the coordinate. */
  index: number;
  /** The gradient `backward` computed. */
  analytic: number;
  /** The central-difference estimate. */
  numeric: number;
}

/** What {@link gradientCheck} found. */
export interface GradientCheckReport {
  /** Coordinates compared. */
  checked: number;
  /** Mismatches beyond tolerance (empty when the layer passes). */
  mismatches: GradientMismatch[];
}

/**
 * Compares a layer's `backward` with central finite differences, for the input and every parameter.
 *
 * The scalar checked is `L = Σ y ⊙ r` for a fixed random `r`, so `∂L/∂y = r` feeds `backward`; each sampled
 * coordinate `θᵢ` is checked against `(L(θᵢ + ε) − L(θᵢ − ε)) / 2ε`, with `L` summed in float64. A coordinate passes
 * when `|analytic − numeric| ≤ atol + rtol·max(|analytic|, |numeric|)`. Inputs near a kink (ReLU at 0) can fail by
 * construction; keep test inputs a few `ε` away from kinks.
 *
 * @example
 * ```ts
 * import { Dense } from '@mnist/nn';
 * import { gradientCheck } from '@mnist/nn/testing';
 * import { Random, randomNormal } from '@mnist/tensor';
 *
 * const report = gradientCheck(new Dense(5, 3), randomNormal([4, 5], new Random(1)));
 * if (report.mismatches.length > 0) throw new Error('wrong gradient');
 * ```
 */
export function gradientCheck(layer: Layer, input: Tensor, options: GradientCheckOptions = {}): GradientCheckReport {
  const { seed = 1, epsilon = 1e-2, rtol = 2e-2, atol = 2e-3, samples = 40 } = options;
  const context = options.context ?? (() => ({ training: false }));
  const rng = new Random(seed);
  const x = input.clone();
  const y0 = layer.forward(x, context());
  const r = randomUniform(y0.shape, rng, -1, 1);
  zeroGrad(layer);
  const dx = layer.backward(r).clone();
  const loss = (): number => dot(layer.forward(x, context()), r);

  const targets: { name: string; value: Tensor; analytic: Tensor }[] = [{ name: 'input', value: x, analytic: dx }];
  for (const p of layer.params()) targets.push({ name: p.name, value: p.value, analytic: p.grad.clone() });

  const report: GradientCheckReport = { checked: 0, mismatches: [] };
  for (const { name, value, analytic } of targets) {
    const indices =
      value.size <= samples
        ? [...Array(value.size).keys()]
        : Array.from({ length: samples }, () => rng.int(value.size));
    for (const i of indices) {
      const original = value.data[i];
      value.data[i] = original + epsilon;
      const plus = loss();
      value.data[i] = original - epsilon;
      const minus = loss();
      value.data[i] = original;
      // The perturbed value is a float32: divide by the step actually taken, not the nominal one.
      const step = Math.fround(original + epsilon) - Math.fround(original - epsilon);
      const numeric = (plus - minus) / step;
      const a = analytic.data[i];
      report.checked++;
      if (!(Math.abs(a - numeric) <= atol + rtol * Math.max(Math.abs(a), Math.abs(numeric)))) {
        report.mismatches.push({ tensor: name, index: i, analytic: a, numeric });
      }
    }
  }
  layer.forward(x, context()); // leave the layer's cache consistent with its current parameters
  return report;
}
