import type { Tensor } from '../tensor.js';
import { checkDisjointOperands, checkOption, checkTensor } from './output.js';
import { placementOf, runner } from './placement.js';

/** Options of {@link momentumUpdate}. */
export interface MomentumUpdateOptions {
  /** The step size `α`, finite and ≥ 0. */
  learningRate: number;
  /** The momentum coefficient `β`, in `[0, 1)`. */
  momentum: number;
  /** The gradient's weight `c` in the velocity: `1 − β` for an average of gradients, 1 for Polyak's heavy ball. */
  gradScale: number;
  /** Nesterov's look-ahead: step along `β·v + c·g` instead of `v`. Default `false`. */
  nesterov?: boolean;
}

/**
 * One momentum step, in place, as one fused pass over the arrays:
 *
 * `v ← β·v + c·g;  θ ← θ − α·v`  (or `θ ← θ − α·(β·v + c·g)` with Nesterov's look-ahead)
 * @param g - the gradient
 * @param velocity - the velocity `v`, updated in place
 * @param theta - the parameter `θ`, updated in place
 * @returns `theta`
 * @throws {@link ShapeError} when the shapes differ or two tensors share memory
 * @throws RangeError when an option is out of range
 */
export function momentumUpdate(g: Tensor, velocity: Tensor, theta: Tensor, options: MomentumUpdateOptions): Tensor {
  const op = 'momentumUpdate';
  const { learningRate, momentum, gradScale } = options;
  const nesterov = options.nesterov ?? false;
  checkTensor(op, 'g', g);
  checkDisjointOperands(op, g.shape, { g, velocity, theta });
  checkOption(op, 'learningRate', learningRate, Number.isFinite(learningRate) && learningRate >= 0, 'finite and ≥ 0');
  checkOption(op, 'momentum', momentum, momentum >= 0 && momentum < 1, 'in [0, 1)');
  checkOption(op, 'gradScale', gradScale, Number.isFinite(gradScale) && gradScale >= 0, 'finite and ≥ 0');
  const at = placementOf('momentumUpdate', g, velocity, theta);
  runner(at).momentumUpdate(g.size, { learningRate, momentum, gradScale, nesterov }, g.data, velocity.data, theta.data);
  return theta;
}
