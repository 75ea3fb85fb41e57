import type { Tensor } from '../tensor.js';
import { checkOption, checkTensor, outputFor } from './output.js';
import { placementOf, runner } from './placement.js';

/**
 * Inverted dropout's mask from uniform samples in `[0, 1)`: `mask = u < rate ? 0 : 1/(1 − rate)`, elementwise. Each
 * entry is dropped with probability `rate` and the kept ones are scaled so that `x ⊙ mask` has the expectation of
 * `x`; the backward pass multiplies by the same mask. Draw the samples from a seeded generator
 * (`rng.fillUniform(u.data)`), then `mul(x, mask)`.
 * @param uniforms - samples in `[0, 1)`
 * @param rate - the probability of dropping an entry, in `[0, 1)`
 * @param out - where to write the mask (may be `uniforms`)
 * @throws RangeError when `rate` is outside `[0, 1)`
 * @example
 * A mask for dropping half of a batch's activations
 * ```ts
 * declare const x: Tensor; // [64, 128] activations
 * const rng = new Random(1);
 * const mask = dropoutMask(randomUniform([64, 128], rng), 0.5); // entries 0 or 2
 * const y = mul(x, mask);
 * ```
 */
export function dropoutMask(uniforms: Tensor, rate: number, out?: Tensor): Tensor {
  checkTensor('dropoutMask', 'uniforms', uniforms);
  checkOption('dropoutMask', 'rate', rate, rate >= 0 && rate < 1, 'in [0, 1)');
  const at = placementOf('dropoutMask', uniforms, out);
  const mask = outputFor('dropoutMask', uniforms.shape, out, at);
  runner(at).dropoutMask(uniforms.size, rate, uniforms.data, mask.data);
  return mask;
}
