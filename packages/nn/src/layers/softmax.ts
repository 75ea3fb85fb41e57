import { softmax, softmaxBackward, type Tensor } from '@mnist/tensor';
import { readConfig } from '../config-reader.js';
import type { LayerConfig } from '../layer.js';
import type { Loss } from '../losses/loss.js';
import { ActivationLayer } from './activation-layer.js';

/**
 * Softmax over the last axis, `yᵢⱼ = exp(xᵢⱼ − maxₖ xᵢₖ) / Σₖ exp(xᵢₖ − maxₖ xᵢₖ)`: turns each row of scores
 * (logits) into class probabilities. Subtracting the row maximum keeps it finite for any finite input.
 *
 * Gradient: `∂L/∂x = y ⊙ (dy − Σⱼ dy ⊙ y)` per row. Under a loss that offers the gradient of its softmax's logits
 * ({@link CrossEntropy} does: `(y − t)/batch`, exactly cancelling), {@link Softmax.backwardLoss} takes that instead,
 * which is what a training step does when a model ends in `Softmax`.
 */
export class Softmax extends ActivationLayer {
  /** The model-file type of this layer. */
  static readonly type = 'Softmax';
  /** @inheritdoc */
  readonly type: string = Softmax.type;

  /** Rebuilds the layer, which has no configuration: a config with any field is rejected. */
  static fromConfig(config: LayerConfig = {}): Softmax {
    readConfig('Softmax', config).end();
    return new Softmax();
  }

  /** Row-wise probabilities of `x`. */
  protected forwardInto(x: Tensor, y: Tensor): Tensor {
    return softmax(x, y);
  }

  /**
   * The loss's own gradient with respect to this layer's input (the logits), `loss.backwardThroughSoftmax()`, when
   * the loss offers it; `undefined` otherwise, and the caller goes through {@link Softmax.backward}.
   */
  backwardLoss(loss: Loss): Tensor | undefined {
    return loss.backwardThroughSoftmax?.();
  }

  /** `dx = y ⊙ (dy − ⟨dy, y⟩)` row by row. */
  protected backwardInto(_x: Tensor, y: Tensor, dy: Tensor, dx: Tensor): Tensor {
    return softmaxBackward(y, dy, dx);
  }
}
