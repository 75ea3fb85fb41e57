import { gelu, geluBackward, type Tensor } from '@mnist/tensor';
import { readConfig } from '../config-reader.js';
import type { LayerConfig } from '../layer.js';
import { ActivationLayer } from './activation-layer.js';

/**
 * The Gaussian error linear unit in the tanh approximation of Hendrycks & Gimpel ("Gaussian Error Linear Units
 * (GELUs)", 2016), elementwise, for any shape:
 *
 * `y = x/2·(1 + tanh(√(2/π)·(x + 0.044715·x³)))`
 *
 * It approximates `x·Φ(x)` (`Φ` the standard normal CDF) to within `5·10⁻⁴`; it is PyTorch's
 * `GELU(approximate='tanh')` and the form BERT and GPT-2 use. Gradient, with `t` the tanh above:
 * `∂L/∂x = dy ⊙ (½·(1 + t) + ½·x·(1 − t²)·√(2/π)·(1 + 3·0.044715·x²))`, from the cached input.
 */
export class GELU extends ActivationLayer {
  /** The model-file type of this layer. */
  static readonly type = 'GELU';
  /** @inheritdoc */
  readonly type: string = GELU.type;

  /** Rebuilds the layer, which has no configuration: a config with any field is rejected. */
  static fromConfig(config: LayerConfig = {}): GELU {
    readConfig('GELU', config).end();
    return new GELU();
  }

  /** `y = x/2·(1 + tanh(√(2/π)·(x + 0.044715·x³)))`. */
  protected forwardInto(x: Tensor, y: Tensor): Tensor {
    return gelu(x, y);
  }

  /** `dx = dy ⊙ GELU′(x)`. */
  protected backwardInto(x: Tensor, _y: Tensor, dy: Tensor, dx: Tensor): Tensor {
    return geluBackward(x, dy, dx);
  }
}
