import { formatShape, type Shape, shapesEqual, softmax, softmaxBackward, type Tensor } from '@mnist/tensor';
import { BufferPool } from '../buffer-pool.js';
import type { Activation, ForwardContext, LayerConfig } from '../layer.js';
import { LayerStateError } from '../layer.js';

/**
 * Softmax over the last axis, `yᵢⱼ = exp(xᵢⱼ − maxₖ xᵢₖ) / Σₖ exp(xᵢₖ − maxₖ xᵢₖ)`: turns each row of scores
 * (logits) into class probabilities. Subtracting the row maximum keeps it finite for any finite input.
 *
 * Gradient: `∂L/∂x = y ⊙ (dy − Σⱼ dy ⊙ y)` per row. When a model ends in `Softmax` and trains with
 * {@link CrossEntropy}, the training step skips this and uses the fused, exactly cancelling gradient `(y − t)/batch`.
 */
export class Softmax implements Activation {
  /** The model-file type of this layer. */
  static readonly type = 'Softmax';
  /** @inheritdoc */
  readonly type: string = Softmax.type;
  private output: Tensor | undefined;
  private readonly buffers = new BufferPool();

  /** Rebuilds the layer (it has no configuration). */
  static fromConfig(): Softmax {
    return new Softmax();
  }

  /** Row-wise probabilities of `x`. */
  forward(x: Tensor, _ctx?: ForwardContext): Tensor {
    this.output = softmax(x, this.buffers.get('y', x.shape));
    return this.output;
  }

  /** `dx = y ⊙ (dy − ⟨dy, y⟩)` row by row. */
  backward(dy: Tensor): Tensor {
    const y = this.output;
    if (!y) throw new LayerStateError('Softmax', 'backward called before forward');
    if (!shapesEqual(dy.shape, y.shape)) {
      throw new LayerStateError(
        'Softmax',
        `dy has shape ${formatShape(dy.shape)} but the last output was ${formatShape(y.shape)}`,
      );
    }
    return softmaxBackward(y, dy, this.buffers.get('dx', y.shape));
  }

  /** None. */
  params(): [] {
    return [];
  }

  /** `{}`. */
  config(): LayerConfig {
    return {};
  }

  /** The input shape. */
  outputShape(inputShape: Shape): Shape {
    return inputShape;
  }
}
