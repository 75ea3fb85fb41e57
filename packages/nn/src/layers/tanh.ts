import { type Tensor, tanh, tanhBackward } from '@mnist/tensor';
import { readConfig } from '../config-reader.js';
import type { LayerConfig } from '../layer.js';
import { ActivationLayer } from './activation-layer.js';

/**
 * The hyperbolic tangent, `y = tanh(x)`, elementwise, for any shape: squashes to `(−1, 1)`, centred at 0.
 * Gradient: `∂L/∂x = dy ⊙ (1 − y²)`, from the cached output.
 */
export class Tanh extends ActivationLayer {
  /** The model-file type of this layer. */
  static readonly type = 'Tanh';
  /** @inheritdoc */
  readonly type: string = Tanh.type;

  /** Rebuilds the layer, which has no configuration: a config with any field is rejected. */
  static fromConfig(config: LayerConfig = {}): Tanh {
    readConfig('Tanh', config).end();
    return new Tanh();
  }

  /** `y = tanh(x)`. */
  protected forwardInto(x: Tensor, y: Tensor): Tensor {
    return tanh(x, y);
  }

  /** `dx = dy ⊙ (1 − y²)`. */
  protected backwardInto(_x: Tensor, y: Tensor, dy: Tensor, dx: Tensor): Tensor {
    return tanhBackward(y, dy, dx);
  }
}
