import { clamp, crossEntropy, div, formatShape, oneHot, ShapeError, scale, sub, type Tensor } from '@mnist/tensor';
import { BufferPool } from '../buffer-pool.js';
import { LayerStateError } from '../layer.js';
import type { Loss, Targets } from './loss.js';
import { targetTensor } from './targets.js';

/**
 * Categorical cross-entropy, `L = −(1/n)·Σᵢ Σⱼ tᵢⱼ·ln pᵢⱼ`, for predictions `p` that are probabilities (the output of
 * a {@link Softmax}) and targets `t` given as class indices or one-hot rows. Probabilities are clamped at `1e-30`.
 *
 * Gradient: `∂L/∂p = −t / (n·p)`. Through a softmax the two combine into `∂L/∂logits = (p − t)/n`
 * ({@link CrossEntropy.backwardThroughSoftmax}), which `trainStep` uses when the model ends in `Softmax`: it is exact
 * and stays finite when a probability underflows to 0.
 *
 * @example
 * ```ts
 * import { CrossEntropy } from '@mnist/nn';
 * import { Tensor } from '@mnist/tensor';
 *
 * const loss = new CrossEntropy();
 * loss.forward(Tensor.fromArray([[0.5, 0.5]]), new Uint8Array([0])); // ln 2 ≈ 0.693
 * ```
 */
export class CrossEntropy implements Loss {
  /** @inheritdoc */
  readonly name = 'categoricalCrossEntropy';
  private prediction: Tensor | undefined;
  private targets: Tensor | undefined;
  private readonly buffers = new BufferPool();

  /** The mean cross-entropy of the batch. */
  forward(prediction: Tensor, targets: Targets): number {
    if (prediction.rank !== 2) {
      throw new ShapeError(
        'CrossEntropy',
        `predictions must be [batch, classes], found ${formatShape(prediction.shape)}`,
      );
    }
    this.prediction = prediction;
    this.targets = targetTensor('CrossEntropy', prediction, targets, this.buffers, (labels, out) =>
      oneHot(labels, prediction.shape[1], out),
    );
    return crossEntropy(prediction, this.targets);
  }

  /** `∂L/∂p = −t / (n·p)`, with `p` clamped at `1e-30`. */
  backward(): Tensor {
    const [p, t] = this.last();
    const grad = clamp(p, 1e-30, Number.POSITIVE_INFINITY, this.buffers.get('dp', p.shape, p.backend));
    div(t, grad, grad);
    return scale(grad, -1 / p.shape[0], grad);
  }

  /** `∂L/∂logits = (p − t)/n` when `p` was a softmax of those logits. */
  backwardThroughSoftmax(): Tensor {
    const [p, t] = this.last();
    const grad = sub(p, t, this.buffers.get('dlogits', p.shape, p.backend));
    return scale(grad, 1 / p.shape[0], grad);
  }

  private last(): [Tensor, Tensor] {
    if (!this.prediction || !this.targets) throw new LayerStateError('CrossEntropy', 'backward called before forward');
    return [this.prediction, this.targets];
  }
}
