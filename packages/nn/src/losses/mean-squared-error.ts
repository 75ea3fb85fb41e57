import { dot, oneHot, scale, sub, type Tensor } from '@mnist/tensor';
import { BufferPool } from '../buffer-pool.js';
import { LayerStateError } from '../layer.js';
import type { Loss, Targets } from './loss.js';
import { targetTensor } from './targets.js';

/**
 * Mean squared error, `L = (1/(n·d))·Σ (ŷ − y)²` over a batch of `n` rows of `d` values (the mean over every element,
 * as in Keras). Class-index targets are one-hot encoded first. Gradient: `∂L/∂ŷ = 2(ŷ − y)/(n·d)`.
 */
export class MeanSquaredError implements Loss {
  /** @inheritdoc */
  readonly name = 'meanSquaredError';
  private difference: Tensor | undefined;
  private readonly buffers = new BufferPool();

  /** The mean squared error of the batch. */
  forward(prediction: Tensor, targets: Targets): number {
    const classes = prediction.shape[1] ?? 1;
    const t = targetTensor('MeanSquaredError', prediction, targets, this.buffers, (labels, out) =>
      oneHot(labels, classes, out),
    );
    const d = sub(prediction, t, this.buffers.get('difference', prediction.shape, prediction.backend));
    this.difference = d;
    return d.size === 0 ? Number.NaN : dot(d, d) / d.size;
  }

  /** `2(ŷ − y)/(n·d)`. */
  backward(): Tensor {
    const d = this.difference;
    if (!d) throw new LayerStateError('MeanSquaredError', 'backward called before forward');
    return scale(d, 2 / d.size, this.buffers.get('grad', d.shape, d.backend));
  }
}
