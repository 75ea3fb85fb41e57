import { adagradUpdate, type Tensor } from '@mnist/tensor';
import { readConfig } from '../config-reader.js';
import type { LayerConfig } from '../layer.js';
import type { Param } from '../param.js';
import { checkEpsilon, type LearningRate } from './optimizer.js';
import { SlotOptimizer, type SlotOptimizerOptions } from './slot-optimizer.js';

/** Options of {@link AdaGrad}. */
export interface AdaGradOptions extends SlotOptimizerOptions {
  /** The step size `α`, fixed or scheduled. Default `0.01`. */
  learningRate?: LearningRate;
  /** `ε`, added to `√G`; a finite number > 0. Default `1e-10`. */
  epsilon?: number;
  /** The value `G` starts at for every entry, finite and ≥ 0. Default `0`. */
  initialAccumulator?: number;
}

/**
 * AdaGrad (Duchi, Hazan & Singer, "Adaptive Subgradient Methods for Online Learning and Stochastic Optimization",
 * JMLR 12, 2011), in its diagonal form: each entry's step shrinks with the sum of its squared gradients so far.
 * With `G` starting at `initialAccumulator`:
 *
 * `G ← G + g²;  θ ← θ − α·g/(√G + ε)`
 *
 * as PyTorch's `Adagrad` computes it (without its learning-rate decay). `G` only grows, so steps keep shrinking; that
 * suits sparse features and convex problems more than long non-convex training, which RMSprop and Adam address with
 * moving averages instead of sums.
 *
 * Each parameter's update is one pass of the fused `adagradUpdate` kernel of `@mnist/tensor`.
 *
 * @example
 * ```ts
 * import { AdaGrad } from '@mnist/nn';
 * const optimizer = new AdaGrad({ learningRate: 0.01 });
 * ```
 */
export class AdaGrad extends SlotOptimizer {
  /** @inheritdoc */
  readonly type = 'AdaGrad';
  /** `ε`. */
  readonly epsilon: number;
  /** The starting value of `G`. */
  readonly initialAccumulator: number;
  protected readonly slotNames = ['accumulator'] as const;
  protected override readonly nonNegativeSlots = ['accumulator'];

  constructor(options: AdaGradOptions = {}) {
    super(options.learningRate ?? 0.01, options);
    this.epsilon = checkEpsilon('AdaGrad', options.epsilon ?? 1e-10);
    const initial = options.initialAccumulator ?? 0;
    if (!(Number.isFinite(initial) && initial >= 0)) {
      throw new RangeError(`AdaGrad: initialAccumulator must be a finite number ≥ 0, found ${initial}`);
    }
    this.initialAccumulator = initial;
  }

  /** Rebuilds an optimizer from {@link AdaGrad.config}, rejecting unknown fields. */
  static fromConfig(config: LayerConfig): AdaGrad {
    const read = readConfig('AdaGrad', config);
    const options = {
      learningRate: read.number('learningRate'),
      epsilon: read.number('epsilon'),
      initialAccumulator: read.number('initialAccumulator'),
      gradientClipNorm: read.optionalNumber('gradientClipNorm'),
    };
    read.end();
    return new AdaGrad(options);
  }

  /**
   * `{ learningRate, epsilon, initialAccumulator }` (the rate in force, if a schedule is used), plus
   * `gradientClipNorm` when set.
   */
  config(): LayerConfig {
    return {
      learningRate: this.currentLearningRate(),
      epsilon: this.epsilon,
      initialAccumulator: this.initialAccumulator,
      ...this.sharedConfig(),
    };
  }

  /** `initialAccumulator` for `G`. */
  protected override initialSlotValue(_slot: string): number {
    return this.initialAccumulator;
  }

  protected update(param: Param, learningRate: number, slots: Record<string, Tensor>): void {
    adagradUpdate(param.grad, slots.accumulator, param.value, { learningRate, epsilon: this.epsilon });
  }
}
