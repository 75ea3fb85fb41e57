import type { Backend, Random, Shape, Tensor } from '@mnist/tensor';
import type { BackwardOptions, ForwardContext } from './layer.js';
import type { Loss } from './losses/loss.js';
import type { Param } from './param.js';

/**
 * What training, evaluation and prediction need of a model ({@link trainStep}, `fit`, `evaluate`, `predict`):
 * {@link Sequential} implements it, and so can a model of your own that is not a stack of layers.
 */
export interface Model {
  /** Computes the output for a batch and remembers what `backward` needs. */
  forward(x: Tensor, ctx?: ForwardContext): Tensor;
  /** Back-propagates `dy = ∂L/∂output` of the last forward, adding into every parameter's `grad`; returns `∂L/∂x`. */
  backward(dy: Tensor, options?: BackwardOptions): Tensor;
  /**
   * Optional: back-propagates `loss`, computed on the last forward's output, when the model can take its gradient
   * more directly than through `backward(loss.backward())` (a model ending in `Softmax` under a cross-entropy loss
   * does, see {@link Layer.backwardLoss}); returns `∂L/∂x`, or `undefined` when it cannot, and then `trainStep` calls
   * `backward`.
   */
  backwardLoss?(loss: Loss, options?: BackwardOptions): Tensor | undefined;
  /** The trainable parameters, the same objects on every call. */
  params(): Param[];
  /** Sets every parameter's gradient to zero. */
  zeroGrad(): void;
  /** The output shape for an input shape, batch first (`-1` for any batch). */
  outputShape(inputShape: Shape): Shape;
  /** The generator that shuffles batches and drives stochastic layers (dropout) while training. */
  readonly rng: Random;
  /** The backend the model is placed on, where `fit` places its batches; `undefined` for ordinary memory. */
  readonly backend: Backend | undefined;
  /** Set to `true` (by a callback, say) to end `fit` after the current batch. */
  stopTraining: boolean;
}
