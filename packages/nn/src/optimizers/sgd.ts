import { axpy, type Tensor } from '@mnist/tensor';
import { readConfig } from '../config-reader.js';
import type { LayerConfig } from '../layer.js';
import type { Param } from '../param.js';
import type { LearningRate } from './optimizer.js';
import { SlotOptimizer, type SlotOptimizerOptions } from './slot-optimizer.js';

/** Options of {@link SGD}. */
export interface SGDOptions extends SlotOptimizerOptions {
  /** The step size `α`, fixed or scheduled. Default `0.01`. */
  learningRate?: LearningRate;
}

/**
 * Plain stochastic gradient descent: `θ ← θ − α·g`.
 * @example
 * ```ts
 * import { SGD } from '@mnist/nn';
 * const optimizer = new SGD({ learningRate: 0.1 });
 * ```
 */
export class SGD extends SlotOptimizer {
  /** @inheritdoc */
  readonly type = 'SGD';
  protected readonly slotNames = [] as const;

  constructor(options: SGDOptions = {}) {
    super(options.learningRate ?? 0.01, options);
  }

  /** Rebuilds an optimizer from {@link SGD.config}, rejecting unknown fields. */
  static fromConfig(config: LayerConfig): SGD {
    const read = readConfig('SGD', config);
    const options = {
      learningRate: read.number('learningRate'),
      gradientClipNorm: read.optionalNumber('gradientClipNorm'),
    };
    read.end();
    return new SGD(options);
  }

  /** `{ learningRate }` (the rate in force, if a schedule is used), plus `gradientClipNorm` when set. */
  config(): LayerConfig {
    return { learningRate: this.currentLearningRate(), ...this.sharedConfig() };
  }

  protected update(param: Param, learningRate: number, _slots: Record<string, Tensor>): void {
    axpy(-learningRate, param.grad, param.value);
  }
}
