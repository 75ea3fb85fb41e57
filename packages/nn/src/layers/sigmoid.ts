import { sigmoid, sigmoidBackward, type Tensor } from '@mnist/tensor';
import { readConfig } from '../config-reader.js';
import type { LayerConfig } from '../layer.js';
import { ActivationLayer } from './activation-layer.js';

/**
 * The logistic sigmoid, `y = 1/(1 + exp(−x))`, elementwise, for any shape: squashes to `(0, 1)`.
 * Gradient: `∂L/∂x = dy ⊙ y ⊙ (1 − y)`, from the cached output.
 * @example
 * ```ts
 * import { Dense, Sequential, Sigmoid } from '@mnist/nn';
 * const model = new Sequential([new Dense(784, 64, { initializer: 'glorot' }), new Sigmoid(), new Dense(64, 10)]);
 * ```
 */
export class Sigmoid extends ActivationLayer {
  /** The model-file type of this layer. */
  static readonly type = 'Sigmoid';
  /** @inheritdoc */
  readonly type: string = Sigmoid.type;

  /** Rebuilds the layer, which has no configuration: a config with any field is rejected. */
  static fromConfig(config: LayerConfig = {}): Sigmoid {
    readConfig('Sigmoid', config).end();
    return new Sigmoid();
  }

  /** `y = 1/(1 + exp(−x))`. */
  protected forwardInto(x: Tensor, y: Tensor): Tensor {
    return sigmoid(x, y);
  }

  /** `dx = dy ⊙ y ⊙ (1 − y)`. */
  protected backwardInto(_x: Tensor, y: Tensor, dy: Tensor, dx: Tensor): Tensor {
    return sigmoidBackward(y, dy, dx);
  }
}
