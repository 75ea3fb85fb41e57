import type { Tensor } from '@mnist/tensor';

/**
 * Training targets: a tensor shaped like the prediction (one-hot rows, or regression values), or class indices, one
 * per row (the `Uint8Array` of an MNIST label file, or an `Int32Array`).
 */
export type Targets = Tensor | Uint8Array | Int32Array;

/**
 * A loss: a scalar measure of how far a batch of predictions is from its targets, and its gradient. The loss, and
 * only the loss, averages over the batch, so layers' gradients are sums and a learning rate does not depend on the
 * batch size.
 */
export interface Loss {
  /** The loss's name in model files and logs, such as `categoricalCrossEntropy`. */
  readonly name: string;
  /** The mean loss over the batch (rows of `prediction`). Remembers what {@link Loss.backward} needs. */
  forward(prediction: Tensor, targets: Targets): number;
  /** `∂L/∂prediction` for the last `forward`. */
  backward(): Tensor;
  /**
   * Optional fused path for a prediction that is a softmax of logits: `∂L/∂logits` for the last `forward`. For
   * cross-entropy it is `(p − t)/batch`, exact and finite even when a probability underflows to zero, where
   * `softmax.backward(loss.backward())` would divide by it. A `Softmax` layer takes it, explicitly, through
   * {@link Layer.backwardLoss}.
   */
  backwardThroughSoftmax?(): Tensor;
}
