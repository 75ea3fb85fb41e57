import { dot, scale } from '@mnist/tensor';
import type { Param } from '../param.js';

/**
 * Clips gradients by their global norm, in place, like PyTorch's `clip_grad_norm_` and TensorFlow's
 * `clip_by_global_norm`: with `‖g‖ = √(Σₚ Σᵢ gₚᵢ²)` over every parameter's gradient, when `‖g‖ > maxNorm` every
 * gradient is scaled by `maxNorm/‖g‖`, so the direction of the whole update is kept and its length becomes `maxNorm`.
 * (PyTorch divides by `‖g‖ + 10⁻⁶`; the exact ratio here makes the clipped norm `maxNorm` itself.)
 *
 * A NaN or infinite norm leaves the gradients as they are: scaling would turn them all into NaN or zero, and hide
 * where the divergence started.
 *
 * @param params - the parameters whose `grad` to clip, such as `model.params()`
 * @param maxNorm - the largest global norm allowed, finite and > 0
 * @returns the global norm before clipping
 * @throws RangeError when `maxNorm` is not a finite number > 0
 * @example
 * Clipping by hand in a custom training loop, between backward and step
 * ```ts
 * import type { Tensor } from '@mnist/tensor';
 * declare const model: Sequential;
 * declare const [loss, optimizer]: [Loss, Optimizer];
 * declare const [x, y]: [Tensor, Uint8Array]; // a batch and its labels
 *
 * loss.forward(model.forward(x, { training: true }), y);
 * model.zeroGrad();
 * model.backward(loss.backward());
 * const norm = clipGradNorm(model.params(), 1); // log it to watch for exploding gradients
 * optimizer.step(model.params());
 * ```
 */
export function clipGradNorm(params: readonly Param[], maxNorm: number): number {
  if (!(Number.isFinite(maxNorm) && maxNorm > 0)) {
    throw new RangeError(`clipGradNorm: maxNorm must be a finite number > 0, found ${maxNorm}`);
  }
  let squares = 0;
  for (const p of params) squares += dot(p.grad, p.grad); // Σ g², in float64
  const norm = Math.sqrt(squares);
  if (Number.isFinite(norm) && norm > maxNorm) {
    const factor = maxNorm / norm;
    for (const p of params) scale(p.grad, factor, p.grad);
  }
  return norm;
}
