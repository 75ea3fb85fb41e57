import { leakyRelu, leakyReluBackward, type Tensor } from '@mnist/tensor';
import { readConfig } from '../config-reader.js';
import type { LayerConfig } from '../layer.js';
import { ActivationLayer } from './activation-layer.js';

/** Options of {@link LeakyReLU}. */
export interface LeakyReLUOptions {
  /** The slope `a` for negative inputs, a finite number. Default `0.01` (PyTorch's; Keras uses 0.3). */
  slope?: number;
}

/**
 * The leaky rectified linear unit (Maas, Hannun & Ng, 2013), `y = x > 0 ? x : a·x`, elementwise, for any shape: a
 * ReLU that keeps a small gradient `a` for negative inputs, so a unit that is never positive can still learn.
 * Gradient: `∂L/∂x = dy ⊙ (x > 0 ? 1 : a)` (the subgradient at 0 is taken as `a`).
 * @example
 * ```ts
 * import { LeakyReLU } from '@mnist/nn';
 * const activation = new LeakyReLU({ slope: 0.1 });
 * ```
 */
export class LeakyReLU extends ActivationLayer {
  /** The model-file type of this layer. */
  static readonly type = 'LeakyReLU';
  /** @inheritdoc */
  readonly type: string = LeakyReLU.type;
  /** The slope `a` for negative inputs. */
  readonly slope: number;

  /** @throws RangeError when the slope is not a finite number */
  constructor(options: LeakyReLUOptions = {}) {
    super();
    const slope = options.slope ?? 0.01;
    if (!Number.isFinite(slope)) throw new RangeError(`LeakyReLU: slope must be a finite number, found ${slope}`);
    this.slope = slope;
  }

  /** Rebuilds the layer from {@link LeakyReLU.config}, rejecting unknown fields. */
  static fromConfig(config: LayerConfig): LeakyReLU {
    const read = readConfig('LeakyReLU', config);
    const slope = read.number('slope');
    read.end();
    return new LeakyReLU({ slope });
  }

  /** `{ slope }`. */
  override config(): LayerConfig {
    return { slope: this.slope };
  }

  /** `y = x > 0 ? x : a·x`. */
  protected forwardInto(x: Tensor, y: Tensor): Tensor {
    return leakyRelu(x, this.slope, y);
  }

  /** `dx = dy ⊙ (x > 0 ? 1 : a)`. */
  protected backwardInto(x: Tensor, _y: Tensor, dy: Tensor, dx: Tensor): Tensor {
    return leakyReluBackward(x, dy, this.slope, dx);
  }
}
