import { addRowVector, axpy, formatShape, gemm, Random, type Shape, ShapeError, sum, type Tensor } from '@mnist/tensor';
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

/** Options of {@link Dense}. */
export interface DenseOptions {
  /** How the weight is initialised. Default `'he'` (suited to ReLU). The bias always starts at zero. */
  initializer?: Initializer;
  /** Whether to add a bias. Default `true`. */
  useBias?: boolean;
  /** Seed of the initial weights when the layer is used on its own; a {@link Sequential} with a seed re-initialises. */
  seed?: number;
  /**
   * The L2 regularisation coefficient `λ ≥ 0` of the weight (not the bias): the loss gains `(λ/2)·‖W‖²`, so `backward`
   * adds `λ·W` to the weight's gradient. Default `0` (none).
   */
  l2?: number;
}

/**
 * A fully connected layer: `y = x·W + b`.
 *
 * Shapes: `x` is `[batch, inputSize]`, `W` (`weight`) is `[inputSize, outputSize]`, `b` (`bias`) is `[outputSize]`,
 * `y` is `[batch, outputSize]`. Rows are examples, so the forward pass is one gemm and a bias broadcast.
 *
 * Gradients, for `dy = ∂L/∂y`: `∂L/∂W += xᵀ·dy`, `∂L/∂b += Σ_rows dy`, `∂L/∂x = dy·Wᵀ`, each a single gemm or
 * reduction with no transposed copy.
 *
 * With `l2: λ`, the weight is penalised by `(λ/2)·‖W‖²` and `∂L/∂W` gains `λ·W` (one `axpy`) on every `backward`.
 * This is classic L2 regularisation, added to the gradient before the optimizer sees it; it is not decoupled weight
 * decay ({@link AdamW}), and with plain SGD the two coincide. The penalty is part of the training objective but not of
 * the loss value that `fit` and `trainStep` report.
 *
 * @example
 * ```ts
 * import { Dense } from '@mnist/nn';
 * import { Tensor } from '@mnist/tensor';
 *
 * const layer = new Dense(784, 128, { initializer: 'he', seed: 1 });
 * const y = layer.forward(Tensor.zeros([64, 784])); // [64, 128]
 * ```
 */
export class Dense implements Layer {
  /** The model-file type of this layer. */
  static readonly type = 'Dense';
  /** @inheritdoc */
  readonly type: string = Dense.type;
  /** Input features per example. */
  readonly inputSize: number;
  /** Output features per example. */
  readonly outputSize: number;
  /** The weight initialiser used by {@link Dense.initialize}. */
  readonly initializer: Initializer;
  /** `[inputSize, outputSize]`. */
  readonly weight: Param;
  /** `[outputSize]`, or `undefined` when `useBias` is false. */
  readonly bias: Param | undefined;
  /** The L2 coefficient `λ` of the weight; 0 for none. */
  readonly l2: number;

  private input: Tensor | undefined;
  private readonly buffers = new BufferPool();

  /**
   * @param inputSize - features per input example
   * @param outputSize - features per output example (units)
   * @throws RangeError when a size is not a positive integer, the initializer is unknown or `l2` is not a finite
   *   number ≥ 0
   */
  constructor(inputSize: number, outputSize: number, options: DenseOptions = {}) {
    for (const [name, value] of [
      ['inputSize', inputSize],
      ['outputSize', outputSize],
    ] as const) {
      if (!Number.isSafeInteger(value) || value < 1) {
        throw new RangeError(`Dense: ${name} must be a positive integer, found ${value}`);
      }
    }
    const initializer = options.initializer ?? 'he';
    if (!INITIALIZERS.includes(initializer)) {
      throw new RangeError(`Dense: initializer must be one of ${INITIALIZERS.join(', ')}, found '${initializer}'`);
    }
    const l2 = options.l2 ?? 0;
    if (!(Number.isFinite(l2) && l2 >= 0)) throw new RangeError(`Dense: l2 must be a finite number ≥ 0, found ${l2}`);
    this.inputSize = inputSize;
    this.outputSize = outputSize;
    this.initializer = initializer;
    this.l2 = l2;
    this.weight = createParam('weight', [inputSize, outputSize]);
    this.bias = options.useBias === false ? undefined : createParam('bias', [outputSize]);
    this.initialize(new Random(options.seed ?? 0));
  }

  /**
   * Rebuilds a layer from {@link Dense.config}, rejecting unknown fields, and reserves its `inputSize·outputSize`
   * (+ `outputSize`) values through `context` before allocating them. A config without `l2` (written before it
   * existed) means `l2: 0`.
   */
  static fromConfig(config: LayerConfig, context?: LoadContext): Dense {
    const read = readConfig('Dense', config);
    const inputSize = read.integer('inputSize');
    const outputSize = read.integer('outputSize');
    const initializer = read.oneOf('initializer', INITIALIZERS);
    const useBias = read.boolean('useBias');
    const l2 = read.optionalNumber('l2') ?? 0;
    read.end();
    if (inputSize * outputSize > MAX_LAYER_PARAMETERS) {
      throw new ConfigError(
        'Dense',
        'outputSize',
        `at most ${MAX_LAYER_PARAMETERS} weights in all`,
        `${inputSize}×${outputSize}`,
      );
    }
    context?.reserve(inputSize * outputSize + (useBias ? outputSize : 0));
    return new Dense(inputSize, outputSize, { initializer, useBias, l2 });
  }

  /** Draws new weights with the layer's initializer and zeroes the bias. */
  initialize(rng: Random): void {
    initialize(this.weight.value, this.initializer, this.inputSize, this.outputSize, rng);
    this.bias?.value.fill(0);
  }

  /** `y = x·W + b` for `x` of shape `[batch, inputSize]`. */
  forward(x: Tensor, _ctx?: ForwardContext): Tensor {
    if (x.rank !== 2 || x.shape[1] !== this.inputSize) {
      throw new ShapeError('Dense.forward', `x must be [batch, ${this.inputSize}], found ${formatShape(x.shape)}`);
    }
    this.input = x;
    const y = this.buffers.get('y', [x.shape[0], this.outputSize], this.weight.value.backend);
    gemm(x, this.weight.value, y); //                    [batch, in]·[in, out] → [batch, out]
    if (this.bias) addRowVector(y, this.bias.value, y);
    return y;
  }

  /**
   * Accumulates `∂L/∂W` (with `λ·W` when `l2` is set) and `∂L/∂b`, and returns `∂L/∂x = dy·Wᵀ` (skipped when
   * `inputGradient` is false).
   */
  backward(dy: Tensor, options?: BackwardOptions): Tensor {
    const x = this.input;
    if (!x) throw new LayerStateError('Dense', 'backward called before forward');
    const batch = x.shape[0];
    if (dy.rank !== 2 || dy.shape[0] !== batch || dy.shape[1] !== this.outputSize) {
      throw new ShapeError(
        'Dense.backward',
        `dy must be [${batch}, ${this.outputSize}], found ${formatShape(dy.shape)}`,
      );
    }
    gemm(x, dy, this.weight.grad, { transA: true, beta: 1 }); //    [batch, in]ᵀ·[batch, out] → [in, out]
    if (this.l2 !== 0) axpy(this.l2, this.weight.value, this.weight.grad); // ∂/∂W of (λ/2)·‖W‖² is λ·W
    if (this.bias) {
      const columnSums = this.buffers.get('db', [this.outputSize], this.weight.value.backend);
      sum(dy, 0, columnSums); //                                     [batch, out] → [out]
      axpy(1, columnSums, this.bias.grad);
    }
    const dx = this.buffers.get('dx', [batch, this.inputSize], this.weight.value.backend);
    if (options?.inputGradient === false) return dx;
    return gemm(dy, this.weight.value, dx, { transB: true }); //     [batch, out]·[in, out]ᵀ → [batch, in]
  }

  /** `[weight, bias]` (or `[weight]` without a bias). */
  params(): Param[] {
    return this.bias ? [this.weight, this.bias] : [this.weight];
  }

  /** `{ inputSize, outputSize, initializer, useBias, l2 }`. */
  config(): LayerConfig {
    return {
      inputSize: this.inputSize,
      outputSize: this.outputSize,
      initializer: this.initializer,
      useBias: this.bias !== undefined,
      l2: this.l2,
    };
  }

  /** `[batch, outputSize]`. */
  outputShape(inputShape: Shape): Shape {
    if (inputShape.length !== 2 || inputShape[1] !== this.inputSize) {
      throw new ShapeError('Dense', `expects input [batch, ${this.inputSize}], found ${formatShape(inputShape)}`);
    }
    return [inputShape[0] as number, this.outputSize];
  }
}
