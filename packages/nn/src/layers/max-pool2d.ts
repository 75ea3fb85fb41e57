import { maxPool2d, maxPool2dBackward, type Tensor } from '@mnist/tensor';
import { BufferPool } from '../buffer-pool.js';
import type { ForwardContext, Layer, LayerConfig } from '../layer.js';
import { Pool2D, type Pool2DOptions, readPoolConfig } from './pool2d.js';

/**
 * Max pooling: `y[n, c, i, j] = max_{u, v < k} x[n, c, i·s − p + u, j·s − p + v]` over each `k × k` window, with
 * padding counting as −∞ (never the maximum).
 *
 * Shapes: `x` is `[batch, channels, H, W]`, `y` is `[batch, channels, outH, outW]` with
 * `outH = ⌊(H + 2·p − k) / s⌋ + 1` (likewise `outW`), for pool size `k`, stride `s` (default `k`) and padding `p`
 * (at most `k/2`).
 *
 * Gradient: each window's `dy` goes to the input position of its maximum (the first one on ties, remembered from the
 * forward pass); every other position gets 0, and a position that is the maximum of several windows sums theirs.
 *
 * @example
 * Halving 28×28 feature maps:
 * ```ts
 * import { MaxPool2D } from '@mnist/nn';
 * import { Tensor } from '@mnist/tensor';
 *
 * const y = new MaxPool2D(2).forward(Tensor.zeros([64, 8, 28, 28])); // [64, 8, 14, 14]
 * ```
 */
export class MaxPool2D extends Pool2D implements Layer {
  /** The model-file type of this layer. */
  static readonly type = 'MaxPool2D';
  /** @inheritdoc */
  readonly type: string = MaxPool2D.type;
  private argmax = new Int32Array(0);
  private readonly buffers = new BufferPool();

  /**
   * @param poolSize - side of the square window
   * @throws RangeError when a size is not a positive integer, or the padding is negative or more than half the pool
   *   size
   */
  constructor(poolSize: number, options: Pool2DOptions = {}) {
    super('MaxPool2D', poolSize, options);
  }

  /** Rebuilds a layer from its `config()`. */
  static fromConfig(config: LayerConfig): MaxPool2D {
    return new MaxPool2D(...readPoolConfig('MaxPool2D', config));
  }

  /** The maximum of each window, `[batch, channels, H, W]` → `[batch, channels, outH, outW]`. */
  forward(x: Tensor, _ctx?: ForwardContext): Tensor {
    const y = this.buffers.get('y', this.outputShape(x.shape), x.backend);
    if (this.argmax.length !== y.size) this.argmax = new Int32Array(y.size);
    maxPool2d(x, this.window, y, this.argmax);
    this.inputShape = x.shape;
    return y;
  }

  /** `∂L/∂x`: each `dy` routed to its window's maximum. */
  backward(dy: Tensor): Tensor {
    const inputShape = this.checkBackward(dy);
    return maxPool2dBackward(dy, this.argmax, inputShape, this.buffers.get('dx', inputShape, dy.backend));
  }

  /** None. */
  params(): [] {
    return [];
  }
}
