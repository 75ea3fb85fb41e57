import { readConfig } from '../config-reader.js';
import type { LayerConfig } from '../layer.js';
import { Adam, type AdamOptions, readAdamOptions } from './adam.js';

/** Options of {@link AdamW}: those of {@link Adam} and the decay. */
export interface AdamWOptions extends AdamOptions {
  /** The decoupled weight decay `λ`, finite and ≥ 0: each step shrinks `θ` by `α·λ·θ`. Default `0.01`. */
  weightDecay?: number;
}

/**
 * AdamW (Loshchilov & Hutter, "Decoupled Weight Decay Regularization", ICLR 2019): {@link Adam} with weight decay
 * applied to the parameter directly instead of through the gradient. Each step is
 *
 * `θ ← θ − α·λ·θ`, then the Adam step `θ ← θ − α·m̂/(√v̂ + ε)`
 *
 * with `m`, `v`, `m̂` and `v̂` exactly as in {@link Adam}: the decay never enters the moment estimates, so it is not
 * rescaled by `1/√v̂` the way an L2 term in the gradient would be. Both are computed in one pass,
 * `θ ← θ·(1 − α·λ) − α·m̂/(√v̂ + ε)`.
 *
 * As in PyTorch's `AdamW`, `λ` is multiplied by the learning rate `α`, so a learning-rate schedule scales the decay
 * too; this plays the part of the paper's schedule multiplier `ηₜ` in `θ ← θ − ηₜ·(α·m̂/(√v̂ + ε) + λ·θ)`. The decay
 * applies to every parameter the optimizer steps, biases included.
 *
 * @example
 * ```ts
 * import { AdamW } from '@mnist/nn';
 * const optimizer = new AdamW({ learningRate: 1e-3, weightDecay: 0.01 });
 * ```
 */
export class AdamW extends Adam {
  /** @inheritdoc */
  override readonly type: string = 'AdamW';
  /** `λ`. */
  readonly weightDecay: number;

  constructor(options: AdamWOptions = {}) {
    super(options);
    const weightDecay = options.weightDecay ?? 0.01;
    if (!(Number.isFinite(weightDecay) && weightDecay >= 0)) {
      throw new RangeError(`AdamW: weightDecay must be a finite number ≥ 0, found ${weightDecay}`);
    }
    this.weightDecay = weightDecay;
  }

  /** Rebuilds an optimizer from {@link AdamW.config}, rejecting unknown fields. */
  static override fromConfig(config: LayerConfig): AdamW {
    const read = readConfig('AdamW', config);
    const options = { ...readAdamOptions(read), weightDecay: read.number('weightDecay') };
    read.end();
    return new AdamW(options);
  }

  /**
   * `{ learningRate, beta1, beta2, epsilon, weightDecay }` (the rate in force, if a schedule is used), plus
   * `gradientClipNorm` when set.
   */
  override config(): LayerConfig {
    return {
      learningRate: this.currentLearningRate(),
      beta1: this.beta1,
      beta2: this.beta2,
      epsilon: this.epsilon,
      weightDecay: this.weightDecay,
      ...this.sharedConfig(),
    };
  }

  /** `λ`. */
  protected override decoupledWeightDecay(): number {
    return this.weightDecay;
  }
}
