import { adamUpdate, type Tensor } from '@mnist/tensor';
import { type ConfigReader, readConfig } from '../config-reader.js';
import type { LayerConfig } from '../layer.js';
import type { Param } from '../param.js';
import { checkDecay, checkEpsilon, type LearningRate } from './optimizer.js';
import { SlotOptimizer, type SlotOptimizerOptions } from './slot-optimizer.js';

/** Options of {@link Adam}. */
export interface AdamOptions extends SlotOptimizerOptions {
  /** The step size `α`, fixed or scheduled. Default `0.001`. */
  learningRate?: LearningRate;
  /** The decay `β₁` of the gradient's moving average `m`, in `[0, 1)`. Default `0.9`. */
  beta1?: number;
  /** The decay `β₂` of the squared gradient's moving average `v`, in `[0, 1)`. Default `0.999`. */
  beta2?: number;
  /** `ε`, added to `√v̂` so that a parameter whose gradient has been zero takes a finite step; > 0. Default `1e-8`. */
  epsilon?: number;
}

/**
 * Adam (Kingma & Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015): a step size per parameter from moving
 * averages of the gradient and of its square. At step `t = 1, 2, …`, with `m` and `v` starting at zero:
 *
 * `m ← β₁·m + (1−β₁)·g;  v ← β₂·v + (1−β₂)·g²;  m̂ = m/(1 − β₁ᵗ);  v̂ = v/(1 − β₂ᵗ);  θ ← θ − α·m̂/(√v̂ + ε)`
 *
 * This is the paper's Algorithm 1, as PyTorch's `Adam` computes it. The bias corrections `1 − βᵗ` undo the zero start
 * of `m` and `v`, which would otherwise shrink the first steps. TensorFlow uses the paper's "efficient" variant,
 * `θ ← θ − α·√(1 − β₂ᵗ)/(1 − β₁ᵗ)·m/(√v + ε̂)`, which differs only in where `ε` enters.
 *
 * There is no weight decay option: PyTorch's `Adam(weight_decay)` adds `λ·θ` to the gradient, which Adam's scaling
 * then distorts. Use {@link AdamW} for decoupled decay, or `Dense`'s `l2` for a penalty in the loss.
 *
 * Each parameter's update is one pass of the fused `adamUpdate` kernel of `@mnist/tensor`.
 *
 * @example
 * ```ts
 * import { Adam } from '@mnist/nn';
 * const optimizer = new Adam({ learningRate: 1e-3 }); // β₁ = 0.9, β₂ = 0.999, ε = 1e-8
 * ```
 */
export class Adam extends SlotOptimizer {
  /** @inheritdoc */
  readonly type: string = 'Adam';
  /** `β₁`. */
  readonly beta1: number;
  /** `β₂`. */
  readonly beta2: number;
  /** `ε`. */
  readonly epsilon: number;
  protected readonly slotNames = ['m', 'v'] as const;
  protected override readonly nonNegativeSlots = ['v'];

  constructor(options: AdamOptions = {}) {
    super(options.learningRate ?? 0.001, options);
    const owner = new.target.name;
    this.beta1 = checkDecay(owner, 'beta1', options.beta1 ?? 0.9);
    this.beta2 = checkDecay(owner, 'beta2', options.beta2 ?? 0.999);
    this.epsilon = checkEpsilon(owner, options.epsilon ?? 1e-8);
  }

  /** Rebuilds an optimizer from {@link Adam.config}, rejecting unknown fields. */
  static fromConfig(config: LayerConfig): Adam {
    const read = readConfig('Adam', config);
    const options = readAdamOptions(read);
    read.end();
    return new Adam(options);
  }

  /**
   * `{ learningRate, beta1, beta2, epsilon }` (the rate in force, if a schedule is used), plus `gradientClipNorm` when
   * set.
   */
  config(): LayerConfig {
    return {
      learningRate: this.currentLearningRate(),
      beta1: this.beta1,
      beta2: this.beta2,
      epsilon: this.epsilon,
      ...this.sharedConfig(),
    };
  }

  /** The decoupled weight decay `λ` of the step: 0 for Adam. */
  protected decoupledWeightDecay(): number {
    return 0;
  }

  protected update(param: Param, learningRate: number, slots: Record<string, Tensor>): void {
    adamUpdate(param.grad, slots.m, slots.v, param.value, {
      learningRate,
      beta1: this.beta1,
      beta2: this.beta2,
      epsilon: this.epsilon,
      weightDecay: this.decoupledWeightDecay(),
      step: this.iterations + 1,
    });
  }
}

/** Reads the options Adam and AdamW share from a config; the caller ends the reading. @internal */
export function readAdamOptions(read: ConfigReader): AdamOptions {
  return {
    learningRate: read.number('learningRate'),
    beta1: read.number('beta1'),
    beta2: read.number('beta2'),
    epsilon: read.number('epsilon'),
    gradientClipNorm: read.optionalNumber('gradientClipNorm'),
  };
}
