import { avgPool2d, avgPool2dBackward, type Tensor } from '@mnist/tensor';
import { BufferPool } from '../buffer-pool.js';
import type { ForwardContext, Layer, LayerConfig } from '../layer.js';
import { Pool2D, type Pool2DOptions, readPoolConfig } from './pool2d.js';

/**
 * Average pooling: `y[n, c, i, j] = (1/k²)·Σ_{u, v < k} x[n, c, i·s − p + u, j·s − p + v]` over each `k × k` window.
 * Padding counts as zeros and is included in the count, so the divisor is always `k²` (PyTorch's default
 * `count_include_pad = true`): a window that overlaps the padding averages toward 0.
 *
 * Shapes: `x` is `[batch, channels, H, W]`, `y` is `[batch, channels, outH, outW]` with
 * `outH = ⌊(H + 2·p − k) / s⌋ + 1` (likewise `outW`), for pool size `k`, stride `s` (default `k`) and padding `p`
 * (at most `k/2`).
 *
 * Gradient: every input position of a window receives `dy / k²` from it, summed over the windows that cover it.
 *
 * @example
 * Averaging 2×2 blocks:
 * ```ts
 * import { AvgPool2D } from '@mnist/nn';
 * import { Tensor } from '@mnist/tensor';
 *
 * const y = new AvgPool2D(2).forward(Tensor.zeros([64, 8, 28, 28])); // [64, 8, 14, 14]
 * ```
 */
export class AvgPool2D extends Pool2D implements Layer {
  /** The model-file type of this layer. */
  static readonly type = 'AvgPool2D';
  /** @inheritdoc */
  readonly type: string = AvgPool2D.type;
  private readonly buffers = new BufferPool();

  /**
   * @param poolSize - side of the square window
   * @throws RangeError when a size is not a positive integer, or the padding is negative or more than half the pool
   *   size
   */
  constructor(poolSize: number, options: Pool2DOptions = {}) {
    super('AvgPool2D', poolSize, options);
  }

  /** Rebuilds a layer from its `config()`. */
  static fromConfig(config: LayerConfig): AvgPool2D {
    return new AvgPool2D(...readPoolConfig('AvgPool2D', config));
  }

  /** The mean of each window, `[batch, channels, H, W]` → `[batch, channels, outH, outW]`. */
  forward(x: Tensor, _ctx?: ForwardContext): Tensor {
    const y = avgPool2d(x, this.window, this.buffers.get('y', this.outputShape(x.shape), x.backend));
    this.inputShape = x.shape;
    return y;
  }

  /** `∂L/∂x`: each `dy` spread evenly over its window. */
  backward(dy: Tensor): Tensor {
    const inputShape = this.checkBackward(dy);
    return avgPool2dBackward(dy, inputShape, this.window, this.buffers.get('dx', inputShape, dy.backend));
  }

  /** None. */
  params(): [] {
    return [];
  }
}
