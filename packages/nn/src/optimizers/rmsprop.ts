import { rmspropUpdate, type Tensor } from '@mnist/tensor';
import { readConfig } from '../config-reader.js';
import type { LayerConfig } from '../layer.js';
import type { Param } from '../param.js';
import { checkDecay, checkEpsilon, type LearningRate } from './optimizer.js';
import { SlotOptimizer, type SlotOptimizerOptions } from './slot-optimizer.js';

/** Options of {@link RMSprop}. */
export interface RMSpropOptions extends SlotOptimizerOptions {
  /** The step size `α`, fixed or scheduled. Default `0.001`. */
  learningRate?: LearningRate;
  /** The decay `ρ` of the mean square `s`, in `[0, 1)`. Default `0.9`, Hinton's value. */
  rho?: number;
  /** `ε`, added to `√s`; a finite number > 0. Default `1e-8`. */
  epsilon?: number;
  /** The momentum `μ` of the scaled steps, in `[0, 1)`. Default `0` (none, and no velocity slot). */
  momentum?: number;
}

/**
 * RMSprop (Hinton, Neural Networks for Machine Learning, lecture 6e, 2012): divide the gradient by a running root mean
 * square of its recent values. With `s` starting at zero:
 *
 * `s ← ρ·s + (1−ρ)·g²;  θ ← θ − α·g/(√s + ε)`
 *
 * With momentum `μ > 0`, as in PyTorch's `RMSprop`, the scaled gradient goes through a velocity `v` (zero at first):
 * `v ← μ·v + g/(√s + ε);  θ ← θ − α·v`. The lecture has no `ε`; it is added outside the square root, as PyTorch and
 * Keras do, so a parameter whose gradient has been zero stays put. There is no bias correction: the first steps,
 * with `s` still small, are larger than later ones (Adam's correction fixes exactly this).
 *
 * Each parameter's update is one pass of the fused `rmspropUpdate` kernel of `@mnist/tensor`.
 *
 * @example
 * ```ts
 * import { RMSprop } from '@mnist/nn';
 * const optimizer = new RMSprop({ learningRate: 1e-3, rho: 0.9 });
 * ```
 */
export class RMSprop extends SlotOptimizer {
  /** @inheritdoc */
  readonly type = 'RMSprop';
  /** `ρ`. */
  readonly rho: number;
  /** `ε`. */
  readonly epsilon: number;
  /** `μ`. */
  readonly momentum: number;
  /** `['meanSquare']`, and `'velocity'` with momentum. */
  protected readonly slotNames: readonly string[];
  protected override readonly nonNegativeSlots = ['meanSquare'];

  constructor(options: RMSpropOptions = {}) {
    super(options.learningRate ?? 0.001, options);
    this.rho = checkDecay('RMSprop', 'rho', options.rho ?? 0.9);
    this.epsilon = checkEpsilon('RMSprop', options.epsilon ?? 1e-8);
    this.momentum = checkDecay('RMSprop', 'momentum', options.momentum ?? 0);
    this.slotNames = this.momentum > 0 ? ['meanSquare', 'velocity'] : ['meanSquare'];
  }

  /** Rebuilds an optimizer from {@link RMSprop.config}, rejecting unknown fields. */
  static fromConfig(config: LayerConfig): RMSprop {
    const read = readConfig('RMSprop', config);
    const options = {
      learningRate: read.number('learningRate'),
      rho: read.number('rho'),
      epsilon: read.number('epsilon'),
      momentum: read.number('momentum'),
      gradientClipNorm: read.optionalNumber('gradientClipNorm'),
    };
    read.end();
    return new RMSprop(options);
  }

  /**
   * `{ learningRate, rho, epsilon, momentum }` (the rate in force, if a schedule is used), plus `gradientClipNorm` when
   * set.
   */
  config(): LayerConfig {
    return {
      learningRate: this.currentLearningRate(),
      rho: this.rho,
      epsilon: this.epsilon,
      momentum: this.momentum,
      ...this.sharedConfig(),
    };
  }

  protected update(param: Param, learningRate: number, slots: Record<string, Tensor>): void {
    rmspropUpdate(param.grad, slots.meanSquare, slots.velocity, param.value, {
      learningRate,
      rho: this.rho,
      epsilon: this.epsilon,
      momentum: this.momentum,
    });
  }
}
