import { formatShape, type Shape, shapesEqual, type Tensor } from '@mnist/tensor';
import { BufferPool } from '../buffer-pool.js';
import { type Activation, type ForwardContext, type LayerConfig, LayerStateError } from '../layer.js';

/**
 * The shared base of the activation layers (`ReLU`, `LeakyReLU`, `Sigmoid`, `Tanh`, `GELU`, `Softmax`): a layer
 * without parameters whose output has its input's shape, `y = f(x)`. It keeps the output and gradient buffers, caches
 * the last input and output, checks `dy` against them, and answers `params()` with `[]`, `config()` with `{}` and
 * `outputShape(s)` with `s`. A subclass writes its forward and backward math, each as one `@mnist/tensor` op.
 *
 * @example
 * A custom activation, the bipolar sigmoid `y = 2σ(x) − 1 = tanh(x/2)`, with `∂y/∂x = (1 − y²)/2`
 * ```ts
 * import { ActivationLayer } from '@mnist/nn';
 * import { scale, type Tensor, tanh, tanhBackward } from '@mnist/tensor';
 *
 * class BipolarSigmoid extends ActivationLayer {
 *   static readonly type = 'acme/BipolarSigmoid';
 *   readonly type = BipolarSigmoid.type;
 *   static fromConfig(): BipolarSigmoid {
 *     return new BipolarSigmoid();
 *   }
 *   protected forwardInto(x: Tensor, y: Tensor): Tensor {
 *     return tanh(scale(x, 0.5, y), y); // y = x/2, then tanh in place
 *   }
 *   protected backwardInto(_x: Tensor, y: Tensor, dy: Tensor, dx: Tensor): Tensor {
 *     return scale(tanhBackward(y, dy, dx), 0.5, dx);
 *   }
 * }
 * ```
 */
export abstract class ActivationLayer implements Activation {
  /** @inheritdoc */
  abstract readonly type: string;
  private input: Tensor | undefined;
  private output: Tensor | undefined;
  private readonly buffers = new BufferPool();

  /** `y = f(x)`, written into this layer's output buffer. */
  forward(x: Tensor, _ctx?: ForwardContext): Tensor {
    const y = this.forwardInto(x, this.buffers.get('y', x.shape, x.backend));
    this.input = x;
    this.output = y;
    return y;
  }

  /** `dx = dy ⊙ f′(x)`, written into this layer's gradient buffer. */
  backward(dy: Tensor): Tensor {
    const x = this.input;
    const y = this.output;
    if (!x || !y) throw new LayerStateError(this.type, 'backward called before forward');
    if (!shapesEqual(dy.shape, x.shape)) {
      throw new LayerStateError(
        this.type,
        `dy has shape ${formatShape(dy.shape)} but the last input was ${formatShape(x.shape)}`,
      );
    }
    return this.backwardInto(x, y, dy, this.buffers.get('dx', x.shape, x.backend));
  }

  /** Computes `y = f(x)` into `y` (a buffer of `x`'s shape) and returns it. */
  protected abstract forwardInto(x: Tensor, y: Tensor): Tensor;

  /**
   * Computes `dx = ∂L/∂x` into `dx` from the last forward's input `x` and output `y` and the gradient `dy`, and returns
   * it. All four have the same shape.
   */
  protected abstract backwardInto(x: Tensor, y: Tensor, dy: Tensor, dx: Tensor): Tensor;

  /** None. */
  params(): [] {
    return [];
  }

  /** `{}`. */
  config(): LayerConfig {
    return {};
  }

  /** The input shape. */
  outputShape(inputShape: Shape): Shape {
    return inputShape;
  }
}
