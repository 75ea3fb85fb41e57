import type { Random, Shape, Tensor } from '@mnist/tensor';
import type { Loss } from './losses/loss.js';
import type { Param } from './param.js';

/** A JSON value: what a layer's {@link Layer.config} may contain, so a model file can hold it. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A layer's configuration: the constructor arguments that rebuild it, as plain JSON. */
export type LayerConfig = { [key: string]: JsonValue };

/** What a backward pass may skip. */
export interface BackwardOptions {
  /**
   * Whether the caller needs `∂L/∂x`. Default `true`. A model's first layer gets `false` during training, since
   * nothing consumes the gradient of the data; a layer may then skip computing it (for `Dense` that saves a third of
   * its backward work) and return any tensor.
   */
  readonly inputGradient?: boolean;
}

/** What a forward pass needs to know besides its input. */
export interface ForwardContext {
  /** `true` while training: dropout drops, batch normalisation uses batch statistics. Default `false`. */
  readonly training?: boolean;
  /** The generator stochastic layers draw from while training. */
  readonly rng?: Random;
}

/**
 * A differentiable function of a batch, with optional parameters. The contract, which
 * `@mnist/nn/testing`'s `checkLayer` verifies for any implementation:
 *
 * - `forward(x, ctx)` returns `y` and caches what `backward` needs.
 * - `backward(dy)` takes `∂L/∂y` for the last forward, **adds** `∂L/∂θ` into each parameter's `grad` and returns
 *   `∂L/∂x`. Gradients accumulate across calls until `zeroGrad` (PyTorch's convention). Calling it before any
 *   `forward` throws {@link LayerStateError}.
 * - `type` names the class in model files; custom layers use a namespaced type such as `acme/Scale`, and
 *   `config()` returns the JSON that, with `type`, rebuilds the layer (weights are saved separately).
 *
 * The first dimension of `x` is always the batch.
 *
 * @example A parameter-free custom layer that doubles its input
 * ```ts
 * import type { Tensor, Shape } from '@mnist/tensor';
 * import { scale } from '@mnist/tensor';
 * import type { Layer } from '@mnist/nn';
 *
 * class Double implements Layer {
 *   readonly type = 'acme/Double';
 *   forward(x: Tensor): Tensor { return scale(x, 2); }
 *   backward(dy: Tensor): Tensor { return scale(dy, 2); }
 *   params() { return []; }
 *   config() { return {}; }
 *   outputShape(inputShape: Shape): Shape { return inputShape; }
 *   static fromConfig(): Double { return new Double(); }
 * }
 * ```
 */
export interface Layer {
  /** The key that identifies this layer's class in a saved model: `Dense`, or `acme/Scale` for your own. */
  readonly type: string;
  /** Computes the output for a batch and remembers what `backward` needs. */
  forward(x: Tensor, ctx?: ForwardContext): Tensor;
  /** Adds parameter gradients into each `param.grad` and returns the gradient with respect to the input. */
  backward(dy: Tensor, options?: BackwardOptions): Tensor;
  /** The trainable parameters, in a stable order (`[]` for activations). */
  params(): Param[];
  /** The JSON-safe constructor arguments that rebuild this layer. */
  config(): LayerConfig;
  /** The output shape for an input shape (batch dimension included, possibly `-1` for "any"). */
  outputShape(inputShape: Shape): Shape;
  /** Fills the parameters with fresh random values. Optional: layers without parameters omit it. */
  initialize?(rng: Random): void;
  /**
   * Optional: `∂L/∂x` straight from a loss computed on this layer's last output, when the layer can take the loss's
   * gradient more directly than `backward(loss.backward())`, or `undefined` when it cannot. A model's training step
   * asks its last layer first (explicitly, with no guess from the layer's type): {@link Softmax} answers with the
   * loss's `backwardThroughSoftmax` (for cross-entropy, `(p − t)/batch`: exact where the chain through the softmax
   * divides by probabilities that may underflow). A layer implementing it has no parameters of its own to update here.
   */
  backwardLoss?(loss: Loss, options?: BackwardOptions): Tensor | undefined;
  /**
   * The layer's non-trainable state, in a stable order: tensors that `forward` updates (such as
   * {@link BatchNorm}'s running mean and variance) and that a saved model must keep, but that have no gradient and
   * that optimizers never see. Optional: stateless layers omit it. A {@link Sequential} names them like parameters
   * (`3.runningMean`) and saves them in the model file's `state` section.
   */
  state?(): StateTensor[];
}

/**
 * A named tensor a layer keeps besides its parameters (PyTorch calls these buffers): part of the model and saved with
 * it, but not trained. `value` is updated in place; loading a model writes into it.
 */
export interface StateTensor {
  /** The name: local in a layer (`runningMean`), qualified in a model (`3.runningMean`). */
  readonly name: string;
  /** The current value. */
  readonly value: Tensor;
}

/** A layer without parameters, such as {@link ReLU} or {@link Softmax}. */
export interface Activation extends Layer {
  /** Always `[]`. */
  params(): [];
}

/**
 * How a model file finds a layer's class: a static `fromConfig` that rebuilds the layer from its {@link Layer.config}.
 * Built-in layers implement it; so must a custom layer that should load.
 */
export interface LayerClass {
  /**
   * Rebuilds a layer from the config it saved, treating it as untrusted. May throw (a `ConfigError` points at the bad
   * field). Read and check every field first, then call `context.reserve` with the number of values the layer will
   * allocate, and only then construct it. The context also builds nested layers, for containers such as `Sequential`.
   */
  fromConfig(config: LayerConfig, context: LoadContext): Layer;
}

/**
 * What a {@link LayerClass} gets while a model loads: a way to build the layers it contains, and one to declare what
 * it is about to allocate.
 *
 * @example A layer with one parameter of size values, declaring it before allocating it
 * ```ts
 * import { createParam, type LayerConfig, type LoadContext, type Param } from '@mnist/nn';
 *
 * class Gain {
 *   readonly gain: Param;
 *   constructor(readonly size: number) {
 *     this.gain = createParam('gain', [size]);
 *   }
 *   static fromConfig(config: LayerConfig, context: LoadContext): Gain {
 *     const size = config.size;
 *     if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 1) throw new RangeError('size');
 *     context.reserve(size, 'size'); // throws if the file does not hold `size` values for it
 *     return new Gain(size);
 *   }
 * }
 * ```
 */
export interface LoadContext {
  /**
   * Builds a layer from a saved `{ type, config }` object, resolving `type` through the same classes as the model.
   * @param spec - the untrusted `{ type, config }` value
   * @param path - its JSON path, for error messages (such as `$.layers[0].config.layers[2]`)
   */
  buildLayer(spec: unknown, path: string): Layer;
  /**
   * Declares, before allocating, how many float32 values the layer being built will hold in its parameters and
   * state: the values the file must contain for it. Throws a `ModelFormatError` when, with the layers built before,
   * that is more than the file's `weights` and `state` sections hold (or more than `maxParameters`), so a small file
   * cannot make the loader allocate a large model. A layer that does not call it is checked after construction.
   * @param values - the number of parameter and state values the layer will allocate
   * @param field - the config field that sets the size, for the error's JSON path (such as `outputSize`)
   */
  reserve(values: number, field?: string): void;
}

/**
 * Thrown when a layer is used out of order, such as `backward` before any `forward`, or with a gradient whose shape
 * does not match the last forward's output.
 */
export class LayerStateError extends Error {
  /**
   * @param layer - the layer's type
   * @param detail - what was expected and what happened
   */
  constructor(layer: string, detail: string) {
    super(`${layer}: ${detail}`);
    this.name = 'LayerStateError';
  }
}

/** Sets every parameter gradient of a layer (or model) to zero. */
export function zeroGrad(layer: Pick<Layer, 'params'>): void {
  for (const p of layer.params()) p.grad.fill(0);
}
