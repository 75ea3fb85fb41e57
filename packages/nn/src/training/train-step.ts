import type { Tensor } from '@mnist/tensor';
import type { Loss, Targets } from '../losses/loss.js';
import type { Model } from '../model.js';
import type { Optimizer } from '../optimizers/optimizer.js';
import { NonFiniteLossError } from './non-finite-loss-error.js';

/** What {@link trainStep} returns. */
export interface TrainStepResult {
  /** The batch's mean loss, before the update. */
  loss: number;
  /** The model's output for the batch, before the update (a buffer the model reuses on its next forward). */
  prediction: Tensor;
}

/**
 * One step of training, visible and reusable: forward → loss → zeroGrad → backward → optimizer step.
 * {@link Sequential.fit} is a loop over this function; call it yourself for a custom loop.
 *
 * The backward pass starts with {@link Model.backwardLoss} when the model has it: a `Sequential` ending in `Softmax`
 * under a loss that offers `backwardThroughSoftmax` (as {@link CrossEntropy} does) takes the gradient with respect to
 * the logits, `(p − t)/batch`, below the softmax (exact, and finite even when a probability underflows to zero); any
 * other model, or loss, goes through `backward(loss.backward())`. The choice is the model's and the loss's, stated in
 * their interfaces, never a guess from a layer's type.
 *
 * Called while {@link Sequential.fit} trains the same model (from a callback, or from other code while `fit` yields),
 * it runs between two of `fit`'s steps, since both are synchronous: one more step on the model, counted by
 * `optimizer` (a schedule advances, and with `fit`'s own optimizer so does its count) but not in `fit`'s history, and
 * drawing from the model's generator, so the rest of that run shuffles and drops out differently.
 *
 * @throws {@link NonFiniteLossError} when the loss is NaN or infinite; no gradient is applied then
 * @example
 * ```ts
 * import { CrossEntropy, Dense, Momentum, ReLU, Sequential, Softmax, trainStep } from '@mnist/nn';
 * import { Tensor } from '@mnist/tensor';
 *
 * const model = new Sequential([new Dense(4, 8), new ReLU(), new Dense(8, 3), new Softmax()], { seed: 1 });
 * const loss = new CrossEntropy();
 * const optimizer = new Momentum({ learningRate: 0.1 });
 * const { loss: value } = trainStep(model, loss, optimizer, Tensor.ones([2, 4]), new Uint8Array([0, 2]));
 * ```
 */
export function trainStep(model: Model, loss: Loss, optimizer: Optimizer, x: Tensor, y: Targets): TrainStepResult {
  const prediction = model.forward(x, { training: true, rng: model.rng });
  const value = loss.forward(prediction, y);
  if (!Number.isFinite(value)) throw new NonFiniteLossError(value);
  model.zeroGrad();
  // Training never uses the gradient with respect to the data, so the first layer may skip it.
  const options = { inputGradient: false };
  if (model.backwardLoss?.(loss, options) === undefined) model.backward(loss.backward(), options);
  optimizer.step(model.params());
  return { loss: value, prediction };
}
