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
   * Optional fused path for a model that ends in `Softmax`: `∂L/∂logits` for the last `forward`, where the prediction
   * was the softmax of those logits. For cross-entropy it is `(p − t)/batch`, which avoids dividing by tiny
   * probabilities. `trainStep` uses it when present and the last layer is a `Softmax`.
   */
  backwardThroughSoftmax?(): Tensor;
}
