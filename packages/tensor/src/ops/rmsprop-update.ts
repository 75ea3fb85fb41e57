import type { Tensor } from '../tensor.js';
import { checkDisjointOperands, checkOption, checkTensor } from './output.js';
import { placementOf, runner } from './placement.js';

/** Options of {@link rmspropUpdate}. */
export interface RMSpropUpdateOptions {
  /** The step size `α`, finite and ≥ 0. */
  learningRate: number;
  /** The decay of the mean square, `ρ ∈ [0, 1)`. */
  rho: number;
  /** `ε > 0`, added to `√s`. */
  epsilon: number;
  /** The momentum `μ ∈ [0, 1)`. Default 0 (no momentum, and no velocity tensor). */
  momentum?: number;
}

/**
 * One RMSprop step (Hinton, lecture 6e of Neural Networks for Machine Learning, 2012), in place, as one fused pass:
 *
 * `s ← ρ·s + (1−ρ)·g²;  θ ← θ − α·g / (√s + ε)`
 *
 * or, with momentum `μ > 0` as in PyTorch's `RMSprop`: `b ← μ·b + g / (√s + ε);  θ ← θ − α·b`.
 * @param g - the gradient
 * @param meanSquare - the running mean of `g²`, `s`, updated in place
 * @param velocity - the momentum buffer `b`, updated in place; required when `momentum > 0`, ignored otherwise
 * @param theta - the parameter `θ`, updated in place
 * @returns `theta`
 * @throws {@link ShapeError} when the shapes differ or two tensors share memory
 * @throws RangeError when an option is out of range
 * @throws TypeError when `momentum > 0` and there is no `velocity`
 */
export function rmspropUpdate(
  g: Tensor,
  meanSquare: Tensor,
  velocity: Tensor | undefined,
  theta: Tensor,
  options: RMSpropUpdateOptions,
): Tensor {
  const op = 'rmspropUpdate';
  const { learningRate, rho, epsilon, momentum = 0 } = options;
  checkOption(op, 'learningRate', learningRate, Number.isFinite(learningRate) && learningRate >= 0, 'finite and ≥ 0');
  checkOption(op, 'rho', rho, rho >= 0 && rho < 1, 'in [0, 1)');
  checkOption(op, 'epsilon', epsilon, Number.isFinite(epsilon) && epsilon > 0, 'finite and > 0');
  checkOption(op, 'momentum', momentum, momentum >= 0 && momentum < 1, 'in [0, 1)');
  checkTensor(op, 'g', g);
  if (momentum > 0) {
    if (velocity === undefined) throw new TypeError(`${op}: momentum ${momentum} needs a velocity tensor`);
    checkDisjointOperands(op, g.shape, { g, meanSquare, velocity, theta });
  } else {
    checkDisjointOperands(op, g.shape, { g, meanSquare, theta });
  }
  const b = momentum > 0 ? (velocity as Tensor).data : EMPTY;
  const at = placementOf('rmspropUpdate', g, meanSquare, velocity, theta);
  runner(at).rmspropUpdate(g.size, { learningRate, rho, epsilon, momentum }, g.data, meanSquare.data, b, theta.data);
  return theta;
}

const EMPTY = new Float32Array(0);
