import { formatShape, relu, reluBackward, type Shape, shapesEqual, type Tensor } from '@mnist/tensor';
import { BufferPool } from '../buffer-pool.js';
import type { Activation, ForwardContext, LayerConfig } from '../layer.js';
import { LayerStateError } from '../layer.js';

/**
 * The rectified linear unit, `y = max(x, 0)`, elementwise, for any shape.
 * Gradient: `∂L/∂x = ∂L/∂y ⊙ [x > 0]` (the subgradient at 0 is taken as 0).
 */
export class ReLU implements Activation {
  /** The model-file type of this layer. */
  static readonly type = 'ReLU';
  /** @inheritdoc */
  readonly type: string = ReLU.type;
  private input: Tensor | undefined;
  private readonly buffers = new BufferPool();

  /** Rebuilds the layer (it has no configuration). */
  static fromConfig(): ReLU {
    return new ReLU();
  }

  /** `y = max(x, 0)`. */
  forward(x: Tensor, _ctx?: ForwardContext): Tensor {
    this.input = x;
    return relu(x, this.buffers.get('y', x.shape));
  }

  /** `dx = dy ⊙ [x > 0]`. */
  backward(dy: Tensor): Tensor {
    const x = this.input;
    if (!x) throw new LayerStateError('ReLU', 'backward called before forward');
    if (!shapesEqual(dy.shape, x.shape)) {
      throw new LayerStateError(
        'ReLU',
        `dy has shape ${formatShape(dy.shape)} but the last input was ${formatShape(x.shape)}`,
      );
    }
    return reluBackward(x, dy, this.buffers.get('dx', x.shape));
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
