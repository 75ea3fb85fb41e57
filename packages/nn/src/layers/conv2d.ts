import {
  addChannelBias,
  axpy,
  type ConvWindow,
  col2im,
  convOutputSize,
  formatShape,
  gemmBatched,
  im2col,
  Random,
  type Shape,
  ShapeError,
  sum,
  type Tensor,
} from '@mnist/tensor';
import { BufferPool } from '../buffer-pool.js';
import { ConfigError } from '../config-error.js';
import { MAX_LAYER_PARAMETERS, readConfig } from '../config-reader.js';
import { INITIALIZERS, type Initializer, initialize } from '../initializers.js';
import {
  type BackwardOptions,
  type ForwardContext,
  type Layer,
  type LayerConfig,
  LayerStateError,
  type LoadContext,
} from '../layer.js';
import { createParam, type Param } from '../param.js';

/** Images unfolded at a time by an inference forward pass (training unfolds the whole batch, for backward). */
const INFERENCE_CHUNK_IMAGES = 64;

/** Options of {@link Conv2D}. */
export interface Conv2DOptions {
  /** Step between windows, in both directions. Default 1. */
  stride?: number;
  /** Zeros added on each side of the image, in both directions. Default 0. */
  padding?: number;
  /**
   * How the weight is initialised, with fan-in `inChannels·kernelSize²` and fan-out `outChannels·kernelSize²`.
   * Default `'he'` (suited to ReLU). The bias always starts at zero.
   */
  initializer?: Initializer;
  /** Whether to add a bias per output channel. Default `true`. */
  useBias?: boolean;
  /** Seed of the initial weights when the layer is used on its own; a {@link Sequential} with a seed re-initialises. */
  seed?: number;
  /**
   * The L2 regularisation coefficient `λ ≥ 0` of the weight (not the bias), as in {@link Dense}: `backward` adds `λ·W`
   * to the weight's gradient. Default `0` (none).
   */
  l2?: number;
}

/**
 * A 2-D convolution (cross-correlation, as in every deep-learning library):
 * `y[n, o, i, j] = b[o] + Σ_{c, u, v} W[o, c, u, v] · x[n, c, i·s − p + u, j·s − p + v]`, with zeros outside the image.
 *
 * Shapes: `x` is `[batch, inChannels, H, W]`, `W` (`weight`) is `[outChannels, inChannels, k, k]`, `b` (`bias`) is
 * `[outChannels]`, `y` is `[batch, outChannels, outH, outW]` with `outH = ⌊(H + 2·p − k) / s⌋ + 1` (likewise `outW`),
 * for kernel size `k`, stride `s` and padding `p`.
 *
 * Each image is unfolded by `im2col` into `col[n]` of `[inChannels·k·k, outH·outW]`, so the convolution is one batch
 * of products (`gemmBatched`), `y[n] = W·col[n]` with `W` viewed as `[outChannels, inChannels·k·k]`, written straight
 * into `y` in NCHW order; the bias is then added to each channel's plane.
 *
 * Gradients, for `dy = ∂L/∂y` viewed per image as `[outChannels, outH·outW]`: `∂L/∂W += Σₙ dy[n]·col[n]ᵀ`,
 * `∂L/∂b += Σ_{n, i, j} dy[n, ·, i, j]`, and `∂L/∂x[n] = col2im(Wᵀ·dy[n])`. With `l2: λ`, `∂L/∂W` also gains `λ·W`
 * (see {@link Dense}).
 *
 * @example
 * A 5×5 convolution with 8 filters on MNIST digits, keeping the 28×28 size:
 * ```ts
 * import { Conv2D } from '@mnist/nn';
 * import { Tensor } from '@mnist/tensor';
 *
 * const layer = new Conv2D(1, 8, 5, { padding: 2, seed: 1 });
 * const y = layer.forward(Tensor.zeros([64, 1, 28, 28])); // [64, 8, 28, 28]
 * ```
 */
export class Conv2D implements Layer {
  /** The model-file type of this layer. */
  static readonly type = 'Conv2D';
  /** @inheritdoc */
  readonly type: string = Conv2D.type;
  /** Channels of the input images. */
  readonly inChannels: number;
  /** Channels of the output, one per filter. */
  readonly outChannels: number;
  /** Side `k` of the square `k × k` window. */
  readonly kernelSize: number;
  /** Step between windows. */
  readonly stride: number;
  /** Zeros added on each side. */
  readonly padding: number;
  /** The weight initialiser used by {@link Conv2D.initialize}. */
  readonly initializer: Initializer;
  /** `[outChannels, inChannels, kernelSize, kernelSize]`. */
  readonly weight: Param;
  /** `[outChannels]`, or `undefined` when `useBias` is false. */
  readonly bias: Param | undefined;
  /** The L2 coefficient `λ` of the weight; 0 for none. */
  readonly l2: number;

  /** The window `im2col` and `col2im` slide. */
  private readonly window: ConvWindow;
  private input: Tensor | undefined;
  // The whole batch's columns stay from forward to backward instead of being unfolded again: they cost
  // `batch·inChannels·k²·outH·outW` floats (about 5 MB for 64 MNIST digits through a 5×5 window), and backward then
  // needs no second im2col.
  private cols: Tensor | undefined;
  private readonly buffers = new BufferPool();

  /**
   * @param inChannels - channels of each input image
   * @param outChannels - channels of each output image (filters)
   * @param kernelSize - side of the square window
   * @throws RangeError when a size is not a positive integer, the padding is negative or not an integer, the
   *   initializer is unknown or `l2` is not a finite number ≥ 0
   */
  constructor(inChannels: number, outChannels: number, kernelSize: number, options: Conv2DOptions = {}) {
    const stride = options.stride ?? 1;
    const padding = options.padding ?? 0;
    for (const [name, value, min] of [
      ['inChannels', inChannels, 1],
      ['outChannels', outChannels, 1],
      ['kernelSize', kernelSize, 1],
      ['stride', stride, 1],
      ['padding', padding, 0],
    ] as const) {
      if (!Number.isSafeInteger(value) || value < min) {
        throw new RangeError(`Conv2D: ${name} must be an integer ≥ ${min}, found ${value}`);
      }
    }
    const initializer = options.initializer ?? 'he';
    if (!INITIALIZERS.includes(initializer)) {
      throw new RangeError(`Conv2D: initializer must be one of ${INITIALIZERS.join(', ')}, found '${initializer}'`);
    }
    const l2 = options.l2 ?? 0;
    if (!(Number.isFinite(l2) && l2 >= 0)) throw new RangeError(`Conv2D: l2 must be a finite number ≥ 0, found ${l2}`);
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.kernelSize = kernelSize;
    this.stride = stride;
    this.padding = padding;
    this.window = { kernelSize, stride, padding };
    this.initializer = initializer;
    this.l2 = l2;
    this.weight = createParam('weight', [outChannels, inChannels, kernelSize, kernelSize]);
    this.bias = options.useBias === false ? undefined : createParam('bias', [outChannels]);
    this.initialize(new Random(options.seed ?? 0));
  }

  /**
   * Rebuilds a layer from {@link Conv2D.config}, rejecting unknown fields, and reserves its weight and bias values
   * through `context` before allocating them.
   */
  static fromConfig(config: LayerConfig, context?: LoadContext): Conv2D {
    const read = readConfig('Conv2D', config);
    const inChannels = read.integer('inChannels');
    const outChannels = read.integer('outChannels');
    const kernelSize = read.integer('kernelSize');
    const options = {
      stride: read.integer('stride'),
      padding: read.integer('padding', 0),
      initializer: read.oneOf('initializer', INITIALIZERS),
      useBias: read.boolean('useBias'),
      l2: read.optionalNumber('l2') ?? 0,
    };
    read.end();
    const weights = inChannels * outChannels * kernelSize * kernelSize;
    if (weights > MAX_LAYER_PARAMETERS) {
      throw new ConfigError(
        'Conv2D',
        'kernelSize',
        `at most ${MAX_LAYER_PARAMETERS} weights in all`,
        `${outChannels}×${inChannels}×${kernelSize}×${kernelSize}`,
      );
    }
    context?.reserve(weights + (options.useBias ? outChannels : 0));
    return new Conv2D(inChannels, outChannels, kernelSize, options);
  }

  /** Draws new weights with the layer's initializer (fan-in `inChannels·k²`) and zeroes the bias. */
  initialize(rng: Random): void {
    const window = this.kernelSize * this.kernelSize;
    initialize(this.weight.value, this.initializer, this.inChannels * window, this.outChannels * window, rng);
    this.bias?.value.fill(0);
  }

  /** The convolution of `x`, `[batch, inChannels, H, W]` → `[batch, outChannels, outH, outW]`. */
  forward(x: Tensor, ctx?: ForwardContext): Tensor {
    const [batch, outC, outH, outW] = this.outputShape(x.shape) as [number, number, number, number];
    const rows = this.inChannels * this.kernelSize * this.kernelSize;
    const spatial = outH * outW;
    const at = this.weight.value.backend;
    const weight = this.weight.value.reshape([outC, rows]);
    const y = this.buffers.get('y', [batch, outC, outH, outW], at);
    const yImages = y.reshape([batch, outC, spatial]);
    // Training keeps the whole batch's columns for backward. Inference unfolds a few images at a time, so evaluating in
    // large batches does not cost columns for all of them (a thousand MNIST images through the second convolution of
    // the example's CNN: 313 MB). Each image's product is the same either way, bit for bit.
    const chunk = ctx?.training ? batch : Math.min(batch, INFERENCE_CHUNK_IMAGES);
    let cols: Tensor | undefined;
    if (chunk === batch) {
      cols = im2col(x, this.window, this.buffers.get('cols', [batch, rows, spatial], at));
      // [outC, C·k·k]·[C·k·k, outH·outW] → [outC, outH·outW] for each image, straight into its slice of y
      gemmBatched(weight, cols, yImages);
    } else {
      const chunkCols = this.buffers.get('cols', [chunk, rows, spatial], at);
      for (let start = 0; start < batch; start += chunk) {
        const end = Math.min(batch, start + chunk);
        const part = end - start === chunk ? chunkCols : chunkCols.rows(0, end - start);
        gemmBatched(weight, im2col(x.rows(start, end), this.window, part), yImages.rows(start, end));
      }
    }
    if (this.bias) addChannelBias(y, this.bias.value, y);
    this.input = x;
    this.cols = cols;
    return y;
  }

  /**
   * Accumulates `∂L/∂W` (with `λ·W` when `l2` is set) and `∂L/∂b`, and returns `∂L/∂x` (skipped when `inputGradient`
   * is false).
   */
  backward(dy: Tensor, options?: BackwardOptions): Tensor {
    const x = this.input;
    if (!x) throw new LayerStateError('Conv2D', 'backward called before forward');
    const expected = this.outputShape(x.shape);
    const [batch, outC, outH, outW] = expected as [number, number, number, number];
    if (dy.rank !== 4 || dy.shape.some((d, i) => d !== expected[i])) {
      throw new ShapeError('Conv2D.backward', `dy must be ${formatShape(expected)}, found ${formatShape(dy.shape)}`);
    }
    const rows = this.inChannels * this.kernelSize * this.kernelSize;
    const spatial = outH * outW;
    const at = this.weight.value.backend;
    // After an inference forward, which kept no columns, they are unfolded again.
    const cols = this.cols ?? im2col(x, this.window, this.buffers.get('cols', [batch, rows, spatial], at));
    const dyImages = dy.reshape([batch, outC, spatial]);
    // Σₙ [outC, outH·outW]·[C·k·k, outH·outW]ᵀ → [outC, C·k·k], added onto the weight gradient image by image
    gemmBatched(dyImages, cols, this.weight.grad.reshape([outC, rows]), { transB: true, beta: 1 });
    if (this.l2 !== 0) axpy(this.l2, this.weight.value, this.weight.grad); // ∂/∂W of (λ/2)·‖W‖² is λ·W
    if (this.bias) {
      const perChannel = this.buffers.get('dbPlanes', [outC, spatial], at);
      const db = this.buffers.get('db', [outC], at);
      sum(dy.reshape([batch, outC * spatial]), 0, perChannel.reshape([outC * spatial])); // → [outC·outH·outW]
      sum(perChannel, 1, db); //                                                            [outC, outH·outW] → [outC]
      axpy(1, db, this.bias.grad);
    }
    const dx = this.buffers.get('dx', x.shape, at);
    if (options?.inputGradient === false) return dx;
    const dcols = this.buffers.get('dcols', [batch, rows, spatial], at);
    // [outC, C·k·k]ᵀ·[outC, outH·outW] → [C·k·k, outH·outW] for each image, then folded back onto the images
    gemmBatched(this.weight.value.reshape([outC, rows]), dyImages, dcols, { transA: true });
    return col2im(dcols, x.shape, this.window, dx);
  }

  /** `[weight, bias]` (or `[weight]` without a bias). */
  params(): Param[] {
    return this.bias ? [this.weight, this.bias] : [this.weight];
  }

  /** `{ inChannels, outChannels, kernelSize, stride, padding, initializer, useBias, l2 }`. */
  config(): LayerConfig {
    return {
      inChannels: this.inChannels,
      outChannels: this.outChannels,
      kernelSize: this.kernelSize,
      stride: this.stride,
      padding: this.padding,
      initializer: this.initializer,
      useBias: this.bias !== undefined,
      l2: this.l2,
    };
  }

  /** `[batch, outChannels, outH, outW]` for `[batch, inChannels, H, W]`. */
  outputShape(inputShape: Shape): Shape {
    if (inputShape.length !== 4 || inputShape[1] !== this.inChannels) {
      throw new ShapeError(
        'Conv2D',
        `expects input [batch, ${this.inChannels}, height, width], found ${formatShape(inputShape)}`,
      );
    }
    const [batch, , height, width] = inputShape as [number, number, number, number];
    const k = this.kernelSize;
    if (height + 2 * this.padding < k || width + 2 * this.padding < k) {
      throw new ShapeError(
        'Conv2D',
        `a ${k}×${k} window does not fit a ${height}×${width} image with padding ${this.padding}`,
      );
    }
    return [
      batch,
      this.outChannels,
      convOutputSize(height, k, this.stride, this.padding),
      convOutputSize(width, k, this.stride, this.padding),
    ];
  }
}
