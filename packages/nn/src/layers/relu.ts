import { relu, reluBackward, type Tensor } from '@mnist/tensor';
import { readConfig } from '../config-reader.js';
import type { LayerConfig } from '../layer.js';
import { ActivationLayer } from './activation-layer.js';

/**
 * The rectified linear unit, `y = max(x, 0)`, elementwise, for any shape.
 * Gradient: `∂L/∂x = ∂L/∂y ⊙ [x > 0]` (the subgradient at 0 is taken as 0).
 */
export class ReLU extends ActivationLayer {
  /** The model-file type of this layer. */
  static readonly type = 'ReLU';
  /** @inheritdoc */
  readonly type: string = ReLU.type;

  /** Rebuilds the layer, which has no configuration: a config with any field is rejected. */
  static fromConfig(config: LayerConfig = {}): ReLU {
    readConfig('ReLU', config).end();
    return new ReLU();
  }

  /** `y = max(x, 0)`. */
  protected forwardInto(x: Tensor, y: Tensor): Tensor {
    return relu(x, y);
  }

  /** `dx = dy ⊙ [x > 0]`. */
  protected backwardInto(x: Tensor, _y: Tensor, dy: Tensor, dx: Tensor): Tensor {
    return reluBackward(x, dy, dx);
  }
}
