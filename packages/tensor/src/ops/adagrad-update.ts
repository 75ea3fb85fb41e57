import type { Tensor } from '../tensor.js';
import { checkDisjointOperands, checkOption, checkTensor } from './output.js';
import { placementOf, runner } from './placement.js';

/** Options of {@link adagradUpdate}. */
export interface AdaGradUpdateOptions {
  /** The step size `α`, finite and ≥ 0. */
  learningRate: number;
  /** `ε > 0`, added to `√G`. */
  epsilon: number;
}

/**
 * One AdaGrad step (Duchi, Hazan & Singer, 2011, diagonal form), in place, as one fused pass:
 *
 * `G ← G + g²;  θ ← θ − α·g / (√G + ε)`
 * @param g - the gradient
 * @param accumulator - the sum of squared gradients `G`, updated in place
 * @param theta - the parameter `θ`, updated in place
 * @returns `theta`
 * @throws {@link ShapeError} when the shapes differ or two tensors share memory
 * @throws RangeError when an option is out of range
 */
export function adagradUpdate(g: Tensor, accumulator: Tensor, theta: Tensor, options: AdaGradUpdateOptions): Tensor {
  const op = 'adagradUpdate';
  const { learningRate, epsilon } = options;
  checkTensor(op, 'g', g);
  checkDisjointOperands(op, g.shape, { g, accumulator, theta });
  checkOption(op, 'learningRate', learningRate, Number.isFinite(learningRate) && learningRate >= 0, 'finite and ≥ 0');
  checkOption(op, 'epsilon', epsilon, Number.isFinite(epsilon) && epsilon > 0, 'finite and > 0');
  const at = placementOf('adagradUpdate', g, accumulator, theta);
  runner(at).adagradUpdate(g.size, { learningRate, epsilon }, g.data, accumulator.data, theta.data);
  return theta;
}
