import {
  axpy,
  batchNorm,
  batchNormBackward,
  batchNormStatistics,
  formatShape,
  type Shape,
  ShapeError,
  scale,
  Tensor,
} from '@mnist/tensor';
import { BufferPool } from '../buffer-pool.js';
import { ConfigError } from '../config-error.js';
import { MAX_DIMENSION, readConfig } from '../config-reader.js';
import {
  type BackwardOptions,
  type ForwardContext,
  type Layer,
  type LayerConfig,
  LayerStateError,
  type LoadContext,
  type StateTensor,
} from '../layer.js';
import { createParam, type Param } from '../param.js';

/** Options of {@link BatchNorm}. */
export interface BatchNormOptions {
  /**
   * The running-average factor `m` in `running ← (1 − m)·running + m·batch`, in `[0, 1]`. Default `0.1`, PyTorch's
   * convention (Keras's `momentum: 0.99` is `1 − m`).
   */
  momentum?: number;
  /** Added to the variance before the square root, `> 0`. Default `1e-5`. */
  epsilon?: number;
}

/**
 * Batch normalisation (S. Ioffe and C. Szegedy, "Batch Normalization: Accelerating Deep Network Training by Reducing
 * Internal Covariate Shift", ICML 2015): `y = γ·(x − μ)/√(σ² + ε) + β`, per channel.
 *
 * One class serves both layouts, with the channel on axis 1 as in PyTorch's `BatchNorm1d`/`BatchNorm2d`: `x` of
 * shape `[batch, features]` after a {@link Dense} layer, or `[batch, channels, height, width]` after a convolution,
 * where each channel's statistics pool the batch and every position. `y` has the shape of `x`. The parameters are
 * `weight` (γ, `[features]`, starts at 1) and `bias` (β, `[features]`, starts at 0).
 *
 * - **Training** (`ctx.training`, as in `fit` and `trainStep`): `μ` and `σ²` are the batch's mean and biased
 *   variance per channel, and the running statistics move towards them, `runningMean ← (1 − m)·runningMean + m·μ`
 *   and `runningVar ← (1 − m)·runningVar + m·σ²·n/(n − 1)` with the unbiased variance of the `n` values per channel
 *   (PyTorch's rule). A batch with one value per channel cannot train (its unbiased variance is undefined).
 * - **Inference** (otherwise, as in `evaluate` and `predict`): `μ` and `σ²` are `runningMean` and `runningVar`
 *   (starting at 0 and 1), so each example's output depends on it alone.
 *
 * Gradients, with `x̂ = (x − μ)/σ`, `σ = √(σ² + ε)` and means over the `n` values of a channel: `∂L/∂γ += Σ dy·x̂`,
 * `∂L/∂β += Σ dy`, and after a training forward `∂L/∂x = (γ/σ)·(dy − mean(dy) − x̂·mean(dy·x̂))` (the batch
 * statistics depend on `x`); after an inference forward `∂L/∂x = (γ/σ)·dy`.
 *
 * The running statistics are the layer's {@link Layer.state}: saved in the model file's `state` section and
 * restored on load, but not parameters, so optimizers never change them. The math runs in the `batchNormStatistics`,
 * `batchNorm` and `batchNormBackward` ops of `@mnist/tensor`.
 *
 * @example A hidden layer normalised before its activation.
 * ```ts
 * import { BatchNorm, Dense, ReLU, Sequential, Softmax } from '@mnist/nn';
 *
 * const model = new Sequential(
 *   [new Dense(784, 128), new BatchNorm(128), new ReLU(), new Dense(128, 10), new Softmax()],
 *   { seed: 1 },
 * );
 * console.log(model.state().map((s) => s.name)); // ['1.runningMean', '1.runningVar']
 * ```
 */
export class BatchNorm implements Layer {
  /** The model-file type of this layer. */
  static readonly type = 'BatchNorm';
  /** @inheritdoc */
  readonly type: string = BatchNorm.type;
  /** Channels (features) per example: the size of axis 1 of the input. */
  readonly features: number;
  /** The running-average factor `m`. */
  readonly momentum: number;
  /** The `ε` added to the variance. */
  readonly epsilon: number;
  /** γ, `[features]`. */
  readonly weight: Param;
  /** β, `[features]`. */
  readonly bias: Param;
  /** The running mean, `[features]`, starting at 0: the `μ` of inference. */
  readonly runningMean: Tensor;
  /** The running (unbiased) variance, `[features]`, starting at 1: the `σ²` of inference. */
  readonly runningVar: Tensor;

  private readonly buffers = new BufferPool();
  /** What the last forward normalised with, for backward: `x̂` and whether the statistics were the batch's. */
  private last: { xhat: Tensor; variance: Tensor; batchStatistics: boolean } | undefined;

  /**
   * @param features - channels (features) per example, the size of axis 1 of the input
   * @throws RangeError when `features` is not a positive integer, `momentum` is outside `[0, 1]` or `epsilon` is not
   *   a finite number > 0
   */
  constructor(features: number, options: BatchNormOptions = {}) {
    if (!Number.isSafeInteger(features) || features < 1) {
      throw new RangeError(`BatchNorm: features must be a positive integer, found ${features}`);
    }
    const momentum = options.momentum ?? 0.1;
    if (!(momentum >= 0 && momentum <= 1)) {
      throw new RangeError(`BatchNorm: momentum must be in [0, 1], found ${momentum}`);
    }
    const epsilon = options.epsilon ?? 1e-5;
    if (!(Number.isFinite(epsilon) && epsilon > 0)) {
      throw new RangeError(`BatchNorm: epsilon must be a finite number > 0, found ${epsilon}`);
    }
    this.features = features;
    this.momentum = momentum;
    this.epsilon = epsilon;
    this.weight = createParam('weight', [features]);
    this.bias = createParam('bias', [features]);
    this.runningMean = Tensor.zeros([features]);
    this.runningVar = Tensor.ones([features]);
    this.initialize();
  }

  /**
   * Rebuilds a layer from {@link BatchNorm.config}, rejecting unknown fields, and reserves its `4·features` values
   * (γ, β and the two running statistics) through `context` before allocating them.
   */
  static fromConfig(config: LayerConfig, context?: LoadContext): BatchNorm {
    const read = readConfig('BatchNorm', config);
    const features = read.integer('features', 1, MAX_DIMENSION);
    const momentum = read.number('momentum');
    const epsilon = read.number('epsilon');
    read.end();
    if (!(momentum >= 0 && momentum <= 1))
      throw new ConfigError('BatchNorm', 'momentum', 'a number in [0, 1]', String(momentum));
    if (!(epsilon > 0)) throw new ConfigError('BatchNorm', 'epsilon', 'a finite number > 0', String(epsilon));
    context?.reserve(4 * features, 'features');
    return new BatchNorm(features, { momentum, epsilon });
  }

  /**
   * Resets γ to 1 and β to 0 (the identity transform of the paper; nothing is random). The running statistics are
   * state, not parameters, and keep their values.
   */
  initialize(): void {
    this.weight.value.fill(1);
    this.bias.value.fill(0);
  }

  /**
   * Normalises `x` (`[batch, features]` or `[batch, features, height, width]`) with the batch's statistics while
   * training, updating the running ones, and with the running statistics otherwise.
   * @throws ShapeError when axis 1 of `x` is not `features`, or when training with one value per channel
   */
  forward(x: Tensor, ctx?: ForwardContext): Tensor {
    if ((x.rank !== 2 && x.rank !== 4) || x.shape[1] !== this.features) {
      throw new ShapeError(
        'BatchNorm.forward',
        `x must be [batch, ${this.features}] or [batch, ${this.features}, height, width], found ${formatShape(x.shape)}`,
      );
    }
    const at = this.weight.value.backend;
    const y = this.buffers.get('y', x.shape, at);
    const xhat = this.buffers.get('xhat', x.shape, at);
    const training = ctx?.training === true;
    let mean = this.runningMean;
    let variance = this.runningVar;
    if (training) {
      const n = x.size / this.features; // values per channel: batch·height·width
      if (n < 2) {
        throw new ShapeError(
          'BatchNorm.forward',
          `training needs more than one value per channel to estimate a variance, found ${formatShape(x.shape)}`,
        );
      }
      mean = this.buffers.get('batchMean', [this.features], at);
      variance = this.buffers.get('batchVar', [this.features], at);
      batchNormStatistics(x, { mean, variance });
      // running ← (1 − m)·running + m·batch, with the unbiased variance σ²·n/(n − 1) as PyTorch keeps it.
      const m = this.momentum;
      scale(this.runningMean, 1 - m, this.runningMean);
      axpy(m, mean, this.runningMean);
      scale(this.runningVar, 1 - m, this.runningVar);
      axpy((m * n) / (n - 1), variance, this.runningVar);
    }
    batchNorm(x, mean, variance, this.weight.value, this.bias.value, { epsilon: this.epsilon, out: y, xhat });
    this.last = { xhat, variance, batchStatistics: training };
    return y;
  }

  /**
   * Accumulates `∂L/∂γ` and `∂L/∂β` and returns `∂L/∂x`, with the formula of the last forward's mode (batch or
   * running statistics). Skips nothing when `inputGradient` is false: the parameter gradients need the same sums.
   */
  backward(dy: Tensor, _options?: BackwardOptions): Tensor {
    const last = this.last;
    if (!last) throw new LayerStateError('BatchNorm', 'backward called before forward');
    const { xhat, variance, batchStatistics } = last;
    if (dy.rank !== xhat.rank || dy.shape.some((d, i) => d !== xhat.shape[i])) {
      throw new ShapeError(
        'BatchNorm.backward',
        `dy must be ${formatShape(xhat.shape)}, found ${formatShape(dy.shape)}`,
      );
    }
    const dx = this.buffers.get('dx', xhat.shape, this.weight.value.backend);
    return batchNormBackward(xhat, dy, variance, this.weight.value, this.weight.grad, this.bias.grad, {
      epsilon: this.epsilon,
      batchStatistics,
      out: dx,
    });
  }

  /** `[weight, bias]`: γ and β. */
  params(): Param[] {
    return [this.weight, this.bias];
  }

  /** `[runningMean, runningVar]`, saved with the model but never trained. */
  state(): StateTensor[] {
    return [
      { name: 'runningMean', value: this.runningMean },
      { name: 'runningVar', value: this.runningVar },
    ];
  }

  /** `{ features, momentum, epsilon }`. */
  config(): LayerConfig {
    return { features: this.features, momentum: this.momentum, epsilon: this.epsilon };
  }

  /** The input shape, after checking its axis 1. */
  outputShape(inputShape: Shape): Shape {
    if ((inputShape.length !== 2 && inputShape.length !== 4) || inputShape[1] !== this.features) {
      throw new ShapeError(
        'BatchNorm',
        `expects input [batch, ${this.features}] or [batch, ${this.features}, height, width], found ${formatShape(inputShape)}`,
      );
    }
    return inputShape;
  }
}
