import { BufferPool, createParam, type Layer, type LayerConfig, LayerStateError, type Param } from '@mnist/nn';
import { axpy, mul, type Shape, sum, type Tensor } from '@mnist/tensor';

/**
 * A learnable per-feature scale, `y = x ⊙ s`: the smallest layer with a parameter, written entirely outside the
 * library. `s` has one entry per feature and starts at 1.
 *
 * Gradients: `∂L/∂s = Σ_rows dy ⊙ x`, `∂L/∂x = dy ⊙ s`.
 */
export class Scale implements Layer {
  static readonly type = 'acme/Scale';
  readonly type = Scale.type;
  readonly scale: Param;
  private input: Tensor | undefined;
  private readonly buffers = new BufferPool();

  constructor(readonly features: number) {
    if (!Number.isSafeInteger(features) || features < 1) {
      throw new RangeError(`acme/Scale: features must be a positive integer, found ${features}`);
    }
    this.scale = createParam('scale', [features]);
    this.scale.value.fill(1);
  }

  static fromConfig(config: LayerConfig): Scale {
    if (typeof config.features !== 'number') throw new TypeError('acme/Scale: config.features must be a number');
    return new Scale(config.features);
  }

  forward(x: Tensor): Tensor {
    this.input = x;
    return mul(x, this.scale.value, this.buffers.get('y', x.shape)); // [batch, f] ⊙ [f] → [batch, f]
  }

  backward(dy: Tensor): Tensor {
    const x = this.input;
    if (!x) throw new LayerStateError(this.type, 'backward called before forward');
    const product = mul(dy, x, this.buffers.get('dy⊙x', x.shape));
    const ds = sum(product, 0, this.buffers.get('ds', [this.features])); // [batch, f] → [f]
    axpy(1, ds, this.scale.grad); // gradients accumulate until zeroGrad
    return mul(dy, this.scale.value, this.buffers.get('dx', x.shape));
  }

  params(): Param[] {
    return [this.scale];
  }

  config(): LayerConfig {
    return { features: this.features };
  }

  outputShape(inputShape: Shape): Shape {
    return inputShape;
  }
}
