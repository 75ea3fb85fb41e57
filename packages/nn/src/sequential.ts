import { type Backend, formatShape, Random, type Shape, shapeSize, Tensor } from '@mnist/tensor';
import { readConfig } from './config-reader.js';
import type { BackwardOptions, ForwardContext, Layer, LayerConfig, LoadContext, StateTensor } from './layer.js';
import { LayerStateError } from './layer.js';
import type { Loss, Targets } from './losses/loss.js';
import { LOSS_NAMES, type LossName, lossByName } from './losses/loss-by-name.js';
import type { Model } from './model.js';
import type { Optimizer } from './optimizers/optimizer.js';
import type { Param } from './param.js';
import type { ModelFile } from './serialization/model-file.js';
import { type SaveOptions, saveModel } from './serialization/save.js';
import type { BatchSource } from './training/batches.js';
import {
  type Evaluation,
  evaluateBatches,
  evaluateModel,
  type InferenceOptions,
  predictModel,
} from './training/evaluate.js';
import { type FitOptions, fitModel } from './training/fit.js';
import type { History } from './training/history.js';

/** Options of {@link Sequential.backward}. */
export interface SequentialBackwardOptions extends BackwardOptions {
  /** The index of the last layer to go through. Default: the last layer. */
  readonly from?: number;
}

/** Options of {@link Sequential}. */
export interface SequentialOptions {
  /**
   * Seed of the model's generator. When given, the model re-initialises every layer from it (in order), so the seed
   * alone fixes the initial weights; the same generator then shuffles batches and drives dropout. Default: layers keep
   * the weights they were built with, and the generator is seeded with 0.
   */
  seed?: number;
}

/** Options of {@link Sequential.compile}. */
export interface CompileOptions {
  /** A loss instance, or the name of a built-in one. */
  loss: Loss | LossName;
  /** The optimizer that {@link Sequential.fit} steps. */
  optimizer: Optimizer;
}

/**
 * A stack of layers applied in order, itself a {@link Layer}. It trains ({@link Sequential.fit}), evaluates,
 * predicts, and saves and loads its architecture and weights.
 *
 * Parameters are named by layer index, as in PyTorch's `state_dict`: `0.weight`, `0.bias`, `2.weight`, …
 *
 * @example The original network, 784 → 128 → 64 → 10, trained with the original momentum rule.
 * ```ts
 * import { Dense, Momentum, ReLU, Sequential, Softmax } from '@mnist/nn';
 * import { Random, randomNormal } from '@mnist/tensor';
 *
 * const model = new Sequential(
 *   [new Dense(784, 128), new ReLU(), new Dense(128, 64), new ReLU(), new Dense(64, 10), new Softmax()],
 *   { seed: 42 },
 * );
 * model.compile({ loss: 'categoricalCrossEntropy', optimizer: new Momentum({ learningRate: 0.1, momentum: 0.9 }) });
 * const x = randomNormal([256, 784], new Random(1));
 * const y = Uint8Array.from({ length: 256 }, (_, i) => i % 10);
 * const history = await model.fit(x, y, { epochs: 2, batchSize: 64 });
 * console.log(model.summary());
 * ```
 */
export class Sequential implements Layer, Model {
  /** The model-file type of this layer. */
  static readonly type = 'Sequential';
  /** @inheritdoc */
  readonly type: string = Sequential.type;
  /** The layers, in order. Use {@link Sequential.add} to append. */
  readonly layers: readonly Layer[];
  /** The model's generator: initialisation (with a seed), batch shuffling, dropout. */
  readonly rng: Random;
  /** Set to `true` (by a callback, say) to end {@link Sequential.fit} after the current batch. */
  stopTraining = false;
  /**
   * The backend the model is placed on ({@link Sequential.to}), or `undefined` until it is placed: its parameters are
   * then in ordinary memory and its ops run on the current backend (`getBackend()` of `@mnist/tensor`).
   */
  backend: Backend | undefined;
  private readonly seeded: boolean;
  private loss: Loss | undefined;
  private optimizer: Optimizer | undefined;
  private paramList: Param[] | undefined;
  private stateList: StateTensor[] | undefined;
  private forwarded = false;

  /** @param layers - the layers, applied first to last */
  constructor(layers: readonly Layer[] = [], options: SequentialOptions = {}) {
    this.seeded = options.seed !== undefined;
    this.rng = new Random(options.seed ?? 0);
    this.layers = [];
    for (const layer of layers) this.add(layer);
  }

  /** Rebuilds a model from {@link Sequential.config}, building each layer through `context`. */
  static fromConfig(config: LayerConfig, context: LoadContext): Sequential {
    const read = readConfig('Sequential', config);
    const layers = read.array('layers');
    read.end();
    return new Sequential(layers.map((spec, i) => context.buildLayer(spec, `.layers[${i}]`)));
  }

  /**
   * Appends a layer (initialising it from the model's generator when the model has a seed, and placing it where the
   * model is placed) and returns `this`.
   */
  add(layer: Layer): this {
    if (!layer || typeof layer.forward !== 'function' || typeof layer.backward !== 'function') {
      throw new TypeError(`Sequential.add: expected a Layer, found ${layer === null ? 'null' : typeof layer}`);
    }
    if (this.seeded) layer.initialize?.(this.rng);
    (this.layers as Layer[]).push(layer);
    this.paramList = undefined;
    this.stateList = undefined;
    if (this.backend !== undefined) this.to(this.backend);
    return this;
  }

  /**
   * Places the model on `backend`, the way PyTorch's `module.to(device)` does: every parameter, gradient and state
   * tensor moves into the backend's own memory (where it has one: the `wasm-simd` backend's WebAssembly memory, which
   * its kernels use without copying), and from then on the model's ops run on that backend whatever the current one
   * is; layer buffers and optimizer slots follow at their next use. A model starts in ordinary memory, so where and
   * how it runs never depends on which backend was current when it was built. `fit` places its batches on the same
   * backend. Call it again to move the model; `to(undefined)` brings it back to ordinary memory.
   * @returns this model
   * @example
   * ```ts
   * import { getBackend } from '@mnist/tensor';
   *
   * const model = new Sequential([new Dense(784, 10), new Softmax()], { seed: 1 }).to(getBackend());
   * ```
   */
  to(backend: Backend | undefined): this {
    for (const p of this.params()) {
      p.value.moveTo(backend);
      p.grad.moveTo(backend);
    }
    for (const s of this.state()) s.value.moveTo(backend);
    this.backend = backend;
    return this;
  }

  /** Re-draws every layer's parameters from `rng`, in order. */
  initialize(rng: Random): void {
    for (const layer of this.layers) layer.initialize?.(rng);
  }

  /** Runs `x` through every layer. The result is the last layer's buffer, overwritten by the next forward. */
  forward(x: Tensor, ctx?: ForwardContext): Tensor {
    let y = x;
    for (const layer of this.layers) y = layer.forward(y, ctx);
    this.forwarded = true;
    return y;
  }

  /**
   * Back-propagates through the layers, adding into every parameter's gradient, and returns `∂L/∂x`.
   * @param dy - the gradient at the output of layer `options.from`
   * @param options - `from`: the index of the last layer to go through (default: the last layer;
   *   {@link Sequential.backwardLoss} starts below the last one). `inputGradient: false` lets the first layer skip
   *   `∂L/∂x`, which training never uses.
   */
  backward(dy: Tensor, options: SequentialBackwardOptions = {}): Tensor {
    if (!this.forwarded) throw new LayerStateError('Sequential', 'backward called before forward');
    const from = options.from ?? this.layers.length - 1;
    let grad = dy;
    for (let i = from; i > 0; i--) grad = this.layers[i].backward(grad);
    // Only `inputGradient` applies to the first layer: `from` indexes this model's layers, not a nested model's.
    return from >= 0 ? this.layers[0].backward(grad, { inputGradient: options.inputGradient }) : grad;
  }

  /**
   * Back-propagates `loss`, computed on the last forward's output, starting from the last layer's
   * {@link Layer.backwardLoss} (a final `Softmax` under cross-entropy takes `(p − t)/batch`), then through the other
   * layers; returns `∂L/∂x`, or `undefined`, having changed nothing, when the last layer does not take the loss
   * directly (the caller then runs `backward(loss.backward())`). A nested model ending in `Softmax` answers the same
   * way, so the fused gradient reaches through containers.
   */
  backwardLoss(loss: Loss, options: BackwardOptions = {}): Tensor | undefined {
    const last = this.layers.length - 1;
    if (!this.forwarded || last < 0) return undefined;
    const fused = this.layers[last].backwardLoss?.(loss, last === 0 ? options : {});
    if (fused === undefined) return undefined;
    return last === 0 ? fused : this.backward(fused, { ...options, from: last - 1 });
  }

  /** Every layer's parameters, named `<layer index>.<name>`. The same objects on every call. */
  params(): Param[] {
    this.paramList ??= this.layers.flatMap((layer, i) =>
      layer.params().map((p) => ({ name: `${i}.${p.name}`, value: p.value, grad: p.grad })),
    );
    return this.paramList;
  }

  /**
   * Every layer's non-trainable state (such as {@link BatchNorm}'s running statistics), named `<layer index>.<name>`
   * like the parameters. The same objects on every call; saved and loaded with the model, never seen by an optimizer.
   */
  state(): StateTensor[] {
    this.stateList ??= this.layers.flatMap((layer, i) =>
      (layer.state?.() ?? []).map((s) => ({ name: `${i}.${s.name}`, value: s.value })),
    );
    return this.stateList;
  }

  /** Sets every gradient to zero. */
  zeroGrad(): void {
    for (const p of this.params()) p.grad.fill(0);
  }

  /** The number of trainable values. */
  parameterCount(): number {
    return this.params().reduce((sum, p) => sum + p.value.size, 0);
  }

  /** `{ layers: [{ type, config }, …] }`. */
  config(): LayerConfig {
    return { layers: this.layers.map((layer) => ({ type: layer.type, config: layer.config() })) };
  }

  /** The shape after every layer. */
  outputShape(inputShape: Shape): Shape {
    return this.layers.reduce<Shape>((shape, layer) => layer.outputShape(shape), inputShape);
  }

  /**
   * A table of the layers with their output shapes and parameter counts. The input shape defaults to
   * `[batch, inputSize]` of a first layer that has an `inputSize` (such as {@link Dense}).
   */
  summary(inputShape?: Shape): string {
    const first = this.layers[0] as (Layer & { inputSize?: unknown }) | undefined;
    let shape: Shape | undefined =
      inputShape ?? (typeof first?.inputSize === 'number' ? [-1, first.inputSize] : undefined);
    if (!shape) throw new TypeError('Sequential.summary: pass the input shape, e.g. summary([-1, 1, 28, 28])');
    const rows: string[][] = [['#', 'layer', 'output shape', 'parameters']];
    this.layers.forEach((layer, i) => {
      shape = layer.outputShape(shape as Shape);
      const count = layer.params().reduce((sum, p) => sum + shapeSize(p.value.shape), 0);
      rows.push([String(i), layer.type, formatShape(shape).replace('-1', 'batch'), count.toLocaleString('en-US')]);
    });
    const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
    const line = (r: string[]) =>
      r.map((cell, c) => (c === 3 ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  ');
    const rule = '─'.repeat(line(rows[0]).length);
    return [
      line(rows[0]),
      rule,
      ...rows.slice(1).map(line),
      rule,
      `total parameters: ${this.parameterCount().toLocaleString('en-US')}`,
    ].join('\n');
  }

  /** Chooses the loss and optimizer that {@link Sequential.fit} uses, and returns `this`. */
  compile(options: CompileOptions): this {
    const loss = typeof options.loss === 'string' ? lossByName(options.loss) : options.loss;
    if (!loss || typeof loss.forward !== 'function') {
      throw new RangeError(
        `compile: unknown loss '${String(options.loss)}'; expected a Loss or one of ${LOSS_NAMES.join(', ')}`,
      );
    }
    if (!options.optimizer || typeof options.optimizer.step !== 'function') {
      throw new TypeError('compile: optimizer must be an Optimizer, such as new Momentum()');
    }
    this.loss = loss;
    this.optimizer = options.optimizer;
    return this;
  }

  /** The compiled loss and optimizer. @throws Error when {@link Sequential.compile} has not been called */
  compiled(caller: string): { loss: Loss; optimizer: Optimizer } {
    if (!this.loss || !this.optimizer) throw new Error(`${caller}: call compile({ loss, optimizer }) first`);
    return { loss: this.loss, optimizer: this.optimizer };
  }

  /**
   * Trains for `epochs` passes over `x`, `y` with mini-batches: a loop over {@link trainStep}. Async so that progress
   * can be reported; it yields to the event loop regularly.
   *
   * One `fit` at a time per model: calling it again before the previous call's promise settles rejects at once with a
   * {@link ConcurrentFitError}, and the running call carries on. While it runs (in a callback, or in other code while
   * it yields), `evaluate` and `predict` are fine: they are synchronous and run between two steps. So is a
   * {@link trainStep} of your own: it is one more step between two of `fit`'s, which the optimizer counts (a schedule
   * advances) but the history does not.
   * @param x - inputs, `[examples, ...]`
   * @param y - class indices (`Uint8Array`, `Int32Array`) or a target tensor, one row per example
   * @returns the per-epoch history
   * @throws {@link ConcurrentFitError} when a `fit` of this model is still running
   * @throws `ShapeError` or {@link TrainingDataError} before the first step when `x`, `y` or `validationData`
   *   do not fit the model or hold NaN, an infinity or a class index out of range (see {@link FitOptions})
   * @throws {@link NonFiniteLossError} naming the epoch and batch when the loss becomes NaN or infinite
   */
  fit(x: Tensor, y: Targets, options?: FitOptions): Promise<History>;
  /**
   * Trains on the batches of a {@link BatchSource}, such as a `BatchLoader` from `@mnist/datasets` that gathers and
   * augments batches from compact byte images. The source decides batch size and order. As with tensors, one `fit`
   * at a time per model, and `validationData` is checked before the first step; the batches themselves are checked
   * by the step that meets them.
   */
  fit(batches: BatchSource, options?: FitOptions): Promise<History>;
  fit(data: Tensor | BatchSource, y?: Targets | FitOptions, options?: FitOptions): Promise<History> {
    let training: { loss: Loss; optimizer: Optimizer };
    try {
      training = this.compiled('fit');
    } catch (error) {
      // A promise-returning method reports its errors by rejecting, never by throwing.
      return Promise.reject(error);
    }
    if (data instanceof Tensor) return fitModel(this, training, data, y as Targets, options ?? {});
    return fitModel(this, training, data, undefined, (y as FitOptions | undefined) ?? {});
  }

  /**
   * The mean loss and accuracy on `x`, `y`, in inference mode.
   * @throws RangeError when `x` has no examples (a mean over none is undefined)
   */
  evaluate(x: Tensor, y: Targets, options?: InferenceOptions): Evaluation;
  /**
   * The mean loss and accuracy over one epoch of a {@link BatchSource}, in inference mode, such as a `BatchLoader` over
   * a test set kept as bytes: no float copy of the whole set is made.
   */
  evaluate(batches: BatchSource): Evaluation;
  evaluate(data: Tensor | BatchSource, y?: Targets, options: InferenceOptions = {}): Evaluation {
    const { loss } = this.compiled('evaluate');
    if (data instanceof Tensor) return evaluateModel(this, loss, data, y as Targets, options);
    return evaluateBatches(this, loss, data);
  }

  /** The model's outputs for every row of `x`, in inference mode, as a new tensor. */
  predict(x: Tensor, options: InferenceOptions = {}): Tensor {
    return predictModel(this, x, options);
  }

  /** The model as a versioned, JSON-safe object: architecture, float32 weights and optionally optimizer state. */
  save(options: SaveOptions = {}): ModelFile {
    return saveModel(this, options);
  }

  /** The optimizer and loss set by {@link Sequential.compile}, if any. @internal */
  get training(): { loss: Loss | undefined; optimizer: Optimizer | undefined } {
    return { loss: this.loss, optimizer: this.optimizer };
  }
}
