import { dropoutMask, formatShape, mul, type Shape, shapesEqual, type Tensor } from '@mnist/tensor';
import { BufferPool } from '../buffer-pool.js';
import { readConfig } from '../config-reader.js';
import { type ForwardContext, type Layer, type LayerConfig, LayerStateError } from '../layer.js';

/**
 * Inverted dropout (Srivastava et al., "Dropout: A Simple Way to Prevent Neural Networks from Overfitting", JMLR 15,
 * 2014), for any shape. While training, each entry is zeroed with probability `p` (the `rate`) and the others are
 * scaled by `1/(1 − p)`, so the expected output equals the input and inference needs no rescaling:
 *
 * `y = x ⊙ m`, with `mᵢ = 0` with probability `p`, else `1/(1 − p)`;  `∂L/∂x = dy ⊙ m` with the same mask.
 *
 * At inference (`ctx.training` not true, as in `evaluate` and `predict`) it is the identity and returns `x` itself.
 * The mask is drawn from `ctx.rng`, the model's seeded generator that `fit` and `trainStep` pass, so the same seed
 * gives the same masks and a bit-identical run. The uniform samples come from `Random.fillUniform` and the mask and
 * product from the `dropoutMask` and `mul` kernels of `@mnist/tensor`.
 * @example
 * ```ts
 * import { Dense, Dropout, ReLU, Sequential, Softmax } from '@mnist/nn';
 * const model = new Sequential([new Dense(784, 128), new ReLU(), new Dropout(0.5), new Dense(128, 10), new Softmax()]);
 * ```
 */
export class Dropout implements Layer {
  /** The model-file type of this layer. */
  static readonly type = 'Dropout';
  /** @inheritdoc */
  readonly type: string = Dropout.type;
  /** The probability `p` of zeroing an entry while training. */
  readonly rate: number;
  private lastShape: Shape | undefined;
  /** The last training forward's mask, or `undefined` after an identity forward. */
  private mask: Tensor | undefined;
  private readonly buffers = new BufferPool();

  /**
   * @param rate - the probability `p` of zeroing an entry while training, in `[0, 1)`. Default `0.5`.
   * @throws RangeError when the rate is outside `[0, 1)`
   */
  constructor(rate = 0.5) {
    if (!(rate >= 0 && rate < 1)) throw new RangeError(`Dropout: rate must be in [0, 1), found ${rate}`);
    this.rate = rate;
  }

  /** Rebuilds the layer from {@link Dropout.config}, rejecting unknown fields. */
  static fromConfig(config: LayerConfig): Dropout {
    const read = readConfig('Dropout', config);
    const rate = read.number('rate');
    read.end();
    return new Dropout(rate);
  }

  /**
   * While training, `x ⊙ m` with a fresh mask `m` drawn from `ctx.rng`; otherwise `x` itself.
   * @throws TypeError when training without `ctx.rng`
   */
  forward(x: Tensor, ctx?: ForwardContext): Tensor {
    this.lastShape = x.shape;
    this.mask = undefined;
    if (ctx?.training !== true || this.rate === 0) return x;
    const rng = ctx.rng;
    if (!rng) {
      throw new TypeError(
        'Dropout.forward: training needs ctx.rng, the seeded generator to draw the mask from, found none; ' +
          'fit and trainStep pass the model’s, or call forward(x, { training: true, rng: new Random(seed) })',
      );
    }
    const mask = this.buffers.get('mask', x.shape, x.backend);
    rng.fillUniform(mask.data); // u ~ U[0, 1)
    dropoutMask(mask, this.rate, mask); // m = u < p ? 0 : 1/(1 − p), in place
    this.mask = mask;
    return mul(x, mask, this.buffers.get('y', x.shape, x.backend));
  }

  /** `dy ⊙ m` with the last forward's mask, or `dy` itself after an identity forward. */
  backward(dy: Tensor): Tensor {
    const shape = this.lastShape;
    if (!shape) throw new LayerStateError('Dropout', 'backward called before forward');
    if (!shapesEqual(dy.shape, shape)) {
      throw new LayerStateError(
        'Dropout',
        `dy has shape ${formatShape(dy.shape)} but the last input was ${formatShape(shape)}`,
      );
    }
    return this.mask ? mul(dy, this.mask, this.buffers.get('dx', shape, dy.backend)) : dy;
  }

  /** None. */
  params(): [] {
    return [];
  }

  /** `{ rate }`. */
  config(): LayerConfig {
    return { rate: this.rate };
  }

  /** The input shape. */
  outputShape(inputShape: Shape): Shape {
    return inputShape;
  }
}
