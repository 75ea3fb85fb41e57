import { momentumUpdate, type Tensor } from '@mnist/tensor';
import { readConfig } from '../config-reader.js';
import type { LayerConfig } from '../layer.js';
import type { Param } from '../param.js';
import type { LearningRate } from './optimizer.js';
import { SlotOptimizer, type SlotOptimizerOptions } from './slot-optimizer.js';

/** Options of {@link Momentum}. */
export interface MomentumOptions extends SlotOptimizerOptions {
  /** The step size `α`, fixed or scheduled. Default `0.1`. */
  learningRate?: LearningRate;
  /** The momentum coefficient `β`, in `[0, 1)`. Default `0.9`. */
  momentum?: number;
  /**
   * Which velocity update:
   * - `'average'` (default): `v ← β·v + (1−β)·g`, an exponential moving average of gradients. This is the original
   *   NumPy network's rule; its steps have the scale of `α·g`.
   * - `'heavyBall'`: `v ← β·v + g`, Polyak's classic form as in PyTorch's `SGD(momentum=β)`; steps grow to about
   *   `α·g/(1−β)`, so use a learning rate `(1−β)` times smaller for the same behaviour.
   */
  form?: 'average' | 'heavyBall';
  /**
   * Nesterov's look-ahead (Sutskever et al., 2013, in PyTorch's formulation): the step uses `g + β·v` (heavy ball) or
   * `(1−β)·g + β·v` (average) instead of `v`. Default `false`.
   */
  nesterov?: boolean;
}

/**
 * Gradient descent with momentum. With the defaults it is exactly the original network's rule:
 *
 * `v ← β·v + (1−β)·g;  θ ← θ − α·v`
 *
 * with `v` starting at zero for each parameter. See {@link MomentumOptions.form} for the heavy-ball form
 * `v ← β·v + g` and {@link MomentumOptions.nesterov} for Nesterov's variant.
 *
 * @example
 * ```ts
 * import { Momentum } from '@mnist/nn';
 * const optimizer = new Momentum({ learningRate: 0.1, momentum: 0.9 });
 * ```
 */
export class Momentum extends SlotOptimizer {
  /** @inheritdoc */
  readonly type = 'Momentum';
  /** `β`. */
  readonly momentum: number;
  /** The velocity update in use. */
  readonly form: 'average' | 'heavyBall';
  /** Whether Nesterov's look-ahead is on. */
  readonly nesterov: boolean;
  protected readonly slotNames = ['velocity'] as const;

  constructor(options: MomentumOptions = {}) {
    super(options.learningRate ?? 0.1, options);
    const momentum = options.momentum ?? 0.9;
    if (!(momentum >= 0 && momentum < 1))
      throw new RangeError(`Momentum: momentum must be in [0, 1), found ${momentum}`);
    const form = options.form ?? 'average';
    if (form !== 'average' && form !== 'heavyBall') {
      throw new RangeError(`Momentum: form must be 'average' or 'heavyBall', found '${form}'`);
    }
    this.momentum = momentum;
    this.form = form;
    const nesterov = options.nesterov ?? false;
    if (typeof nesterov !== 'boolean')
      throw new TypeError(`Momentum: nesterov must be true or false, found ${nesterov}`);
    this.nesterov = nesterov;
  }

  /** Rebuilds an optimizer from {@link Momentum.config}, rejecting unknown fields. */
  static fromConfig(config: LayerConfig): Momentum {
    const read = readConfig('Momentum', config);
    const options = {
      learningRate: read.number('learningRate'),
      momentum: read.number('momentum'),
      form: read.oneOf('form', ['average', 'heavyBall'] as const),
      nesterov: read.boolean('nesterov'),
      gradientClipNorm: read.optionalNumber('gradientClipNorm'),
    };
    read.end();
    return new Momentum(options);
  }

  /**
   * `{ learningRate, momentum, form, nesterov }` (the rate in force, if a schedule is used), plus `gradientClipNorm`
   * when set.
   */
  config(): LayerConfig {
    return {
      learningRate: this.currentLearningRate(),
      momentum: this.momentum,
      form: this.form,
      nesterov: this.nesterov,
      ...this.sharedConfig(),
    };
  }

  protected update(param: Param, learningRate: number, slots: Record<string, Tensor>): void {
    // One fused pass: v ← β·v + c·g (c = 1−β or 1), then θ ← θ − α·v, or θ ← θ − α·(β·v + c·g) with Nesterov.
    momentumUpdate(param.grad, slots.velocity, param.value, {
      learningRate,
      momentum: this.momentum,
      gradScale: this.form === 'average' ? 1 - this.momentum : 1,
      nesterov: this.nesterov,
    });
  }
}
