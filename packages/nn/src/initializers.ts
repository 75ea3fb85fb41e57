import type { Random, Tensor } from '@mnist/tensor';

/**
 * How a weight matrix `[fanIn, fanOut]` gets its first values. Each draws from the generator it is given, so a seed
 * fixes the weights.
 *
 * - `he`: `N(0, 2/fanIn)`, for ReLU networks (He et al., "Delving Deep into Rectifiers", 2015).
 * - `glorot`: `U(−√(6/(fanIn+fanOut)), +√(6/(fanIn+fanOut)))`, for tanh/sigmoid/softmax outputs (Glorot & Bengio,
 *   2010); also called Xavier.
 * - `lecun`: `N(0, 1/fanIn)`, i.e. `randn·√(1/fanIn)`: the original NumPy network's initialisation (LeCun et al.,
 *   "Efficient BackProp", 1998).
 * - `zeros`: all zero (for tests and biases; it leaves a hidden layer's units identical, so do not use it for weights).
 */
export type Initializer = 'he' | 'glorot' | 'lecun' | 'zeros';

/** The names {@link initialize} accepts, for validation and error messages. */
export const INITIALIZERS: readonly Initializer[] = Object.freeze(['he', 'glorot', 'lecun', 'zeros']);

/**
 * Fills `weight` in place according to `initializer`.
 * @param fanIn - inputs per unit (for a dense layer, its input size)
 * @param fanOut - outputs per unit (for a dense layer, its output size)
 */
export function initialize(weight: Tensor, initializer: Initializer, fanIn: number, fanOut: number, rng: Random): void {
  switch (initializer) {
    case 'he':
      rng.fillNormal(weight.data, 0, Math.sqrt(2 / fanIn));
      return;
    case 'lecun':
      rng.fillNormal(weight.data, 0, Math.sqrt(1 / fanIn));
      return;
    case 'glorot': {
      const limit = Math.sqrt(6 / (fanIn + fanOut));
      rng.fillUniform(weight.data, -limit, limit);
      return;
    }
    case 'zeros':
      weight.fill(0);
      return;
    default:
      throw new RangeError(
        `initialize: unknown initializer '${initializer}'; expected one of ${INITIALIZERS.join(', ')}`,
      );
  }
}
