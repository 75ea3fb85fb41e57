import { formatShape, type Shape, ShapeError, shapeSize, shapesEqual, type Tensor } from '@mnist/tensor';
import { readConfig } from '../config-reader.js';
import { type ForwardContext, type Layer, type LayerConfig, LayerStateError } from '../layer.js';

/**
 * Flattens every example to a vector: `[batch, d₁, …, dₖ] → [batch, d₁·…·dₖ]`, the step between image layers
 * (`[batch, channels, height, width]`) and a {@link Dense} layer. Row-major order is kept, so this is a view of the
 * input (`reshape`), not a copy; the backward pass views `dy` back in the input's shape.
 * @example
 * ```ts
 * import { Dense, Flatten, Sequential } from '@mnist/nn';
 * const model = new Sequential([new Flatten(), new Dense(28 * 28, 10)]); // takes [batch, 1, 28, 28]
 * ```
 */
export class Flatten implements Layer {
  /** The model-file type of this layer. */
  static readonly type = 'Flatten';
  /** @inheritdoc */
  readonly type: string = Flatten.type;
  private inputShape: Shape | undefined;
  private flatShape: Shape | undefined;

  /** Rebuilds the layer, which has no configuration: a config with any field is rejected. */
  static fromConfig(config: LayerConfig = {}): Flatten {
    readConfig('Flatten', config).end();
    return new Flatten();
  }

  /** A `[batch, features]` view of `x`. */
  forward(x: Tensor, _ctx?: ForwardContext): Tensor {
    const flat = this.outputShape(x.shape);
    this.inputShape = x.shape;
    this.flatShape = flat;
    return x.reshape(flat); // [batch, d₁, …, dₖ] → [batch, d₁·…·dₖ]
  }

  /** `dy` viewed in the shape of the last input. */
  backward(dy: Tensor): Tensor {
    const inputShape = this.inputShape;
    const flatShape = this.flatShape;
    if (!inputShape || !flatShape) throw new LayerStateError('Flatten', 'backward called before forward');
    if (!shapesEqual(dy.shape, flatShape)) {
      throw new LayerStateError(
        'Flatten',
        `dy has shape ${formatShape(dy.shape)} but the last output was ${formatShape(flatShape)}`,
      );
    }
    return dy.reshape(inputShape); // [batch, d₁·…·dₖ] → [batch, d₁, …, dₖ]
  }

  /** None. */
  params(): [] {
    return [];
  }

  /** `{}`. */
  config(): LayerConfig {
    return {};
  }

  /** `[batch, d₁·…·dₖ]` for `[batch, d₁, …, dₖ]` (the batch may be `-1`). */
  outputShape(inputShape: Shape): Shape {
    if (inputShape.length === 0) {
      throw new ShapeError('Flatten', `expects input [batch, …], found ${formatShape(inputShape)}`);
    }
    return [inputShape[0], shapeSize(inputShape.slice(1))];
  }
}
