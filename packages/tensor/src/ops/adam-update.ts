import type { Tensor } from '../tensor.js';
import { checkDisjointOperands, checkOption, checkTensor } from './output.js';
import { placementOf, runner } from './placement.js';

/** Options of {@link adamUpdate}. */
export interface AdamUpdateOptions {
  /** The step size `α`, finite and ≥ 0. */
  learningRate: number;
  /** The decay of the first-moment average, `β₁ ∈ [0, 1)`. */
  beta1: number;
  /** The decay of the second-moment average, `β₂ ∈ [0, 1)`. */
  beta2: number;
  /** `ε > 0`, added to `√v̂` so the step stays finite where the gradient has been zero. */
  epsilon: number;
  /** AdamW's decoupled weight decay `λ ≥ 0`, applied as `θ ← θ·(1 − α·λ)`. Default 0 (plain Adam). */
  weightDecay?: number;
  /** The step number `t`, from 1: the bias corrections are `1 − β₁ᵗ` and `1 − β₂ᵗ`. */
  step: number;
}

/**
 * One Adam step (Kingma & Ba, 2015), in place, as one fused pass over the four tensors:
 *
 * `m ← β₁·m + (1−β₁)·g;  v ← β₂·v + (1−β₂)·g²;  θ ← θ·(1 − α·λ) − α·m̂ / (√v̂ + ε)`
 *
 * with the bias-corrected moments `m̂ = m/(1 − β₁ᵗ)` and `v̂ = v/(1 − β₂ᵗ)`. With `λ > 0` this is AdamW (Loshchilov &
 * Hutter, 2019): the decay shrinks `θ` directly and never enters the moments. The powers `βᵗ` are computed by
 * repeated squaring, with multiplications only, so every engine gives the same bits.
 * @param g - the gradient
 * @param m - the first-moment estimate, updated in place
 * @param v - the second-moment estimate, updated in place
 * @param theta - the parameter `θ`, updated in place
 * @returns `theta`
 * @throws {@link ShapeError} when the shapes differ or two tensors share memory
 * @throws RangeError when an option is out of range
 * @example
 * One step of Adam on a parameter
 * ```ts
 * declare const weight: { value: Tensor; grad: Tensor }; // a parameter
 * const [m, v] = [Tensor.zeros(weight.value.shape), Tensor.zeros(weight.value.shape)]; // Adam's moments, kept
 * const options = { learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, step: 1 };
 * adamUpdate(weight.grad, m, v, weight.value, options); // m, v and weight.value change in place
 * ```
 */
export function adamUpdate(g: Tensor, m: Tensor, v: Tensor, theta: Tensor, options: AdamUpdateOptions): Tensor {
  const op = 'adamUpdate';
  checkTensor(op, 'g', g);
  checkDisjointOperands(op, g.shape, { g, m, v, theta });
  const { learningRate, beta1, beta2, epsilon, weightDecay = 0, step } = options;
  checkOption(op, 'learningRate', learningRate, Number.isFinite(learningRate) && learningRate >= 0, 'finite and ≥ 0');
  checkOption(op, 'beta1', beta1, beta1 >= 0 && beta1 < 1, 'in [0, 1)');
  checkOption(op, 'beta2', beta2, beta2 >= 0 && beta2 < 1, 'in [0, 1)');
  checkOption(op, 'epsilon', epsilon, Number.isFinite(epsilon) && epsilon > 0, 'finite and > 0');
  checkOption(op, 'weightDecay', weightDecay, Number.isFinite(weightDecay) && weightDecay >= 0, 'finite and ≥ 0');
  checkOption(op, 'step', step, Number.isSafeInteger(step) && step >= 1, 'an integer ≥ 1');
  const at = placementOf('adamUpdate', g, m, v, theta);
  const correction1 = 1 - integerPower(beta1, step);
  const correction2 = 1 - integerPower(beta2, step);
  runner(at).adamUpdate(
    g.size,
    { learningRate, beta1, beta2, epsilon, weightDecay, correction1, correction2 },
    g.data,
    m.data,
    v.data,
    theta.data,
  );
  return theta;
}

/**
 * `base^exponent` for an integer exponent ≥ 0, by repeated squaring. Unlike `Math.pow`, which the standard lets
 * engines approximate, a fixed sequence of correctly rounded multiplications gives the same bits everywhere.
 * @internal
 */
export function integerPower(base: number, exponent: number): number {
  let result = 1;
  let square = base;
  for (let e = exponent; e > 0; e = Math.floor(e / 2)) {
    if (e % 2 === 1) result *= square;
    square *= square;
  }
  return result;
}
