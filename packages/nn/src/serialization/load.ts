import type { Tensor } from '@mnist/tensor';
import { ConfigError } from '../config-error.js';
import type { Layer, LayerClass, LayerConfig, LoadContext } from '../layer.js';
import { AvgPool2D } from '../layers/avg-pool2d.js';
import { BatchNorm } from '../layers/batch-norm.js';
import { Conv2D } from '../layers/conv2d.js';
import { Dense } from '../layers/dense.js';
import { Dropout } from '../layers/dropout.js';
import { Flatten } from '../layers/flatten.js';
import { GELU } from '../layers/gelu.js';
import { LeakyReLU } from '../layers/leaky-relu.js';
import { MaxPool2D } from '../layers/max-pool2d.js';
import { ReLU } from '../layers/relu.js';
import { Sigmoid } from '../layers/sigmoid.js';
import { Softmax } from '../layers/softmax.js';
import { Tanh } from '../layers/tanh.js';
import { LOSS_NAMES, lossByName } from '../losses/loss-by-name.js';
import { AdaGrad } from '../optimizers/adagrad.js';
import { Adam } from '../optimizers/adam.js';
import { AdamW } from '../optimizers/adamw.js';
import { Momentum } from '../optimizers/momentum.js';
import type { Optimizer, OptimizerClass } from '../optimizers/optimizer.js';
import { RMSprop } from '../optimizers/rmsprop.js';
import { SGD } from '../optimizers/sgd.js';
import { Sequential } from '../sequential.js';
import { decodeFloat32, encodedLength } from './base64.js';
import { MODEL_FORMAT, MODEL_VERSION } from './model-file.js';
import { ModelFormatError } from './model-format-error.js';

/** Options of {@link Sequential.load}. */
export interface LoadOptions {
  /**
   * Your own layer classes, by their `type`, each with a static `fromConfig`: `{ 'acme/Scale': Scale }`. They join
   * the built-in layers; a type not found in either is an error that lists the known ones.
   */
  layers?: Readonly<Record<string, LayerClass>>;
  /** Your own optimizer classes, by their `type`, for files saved with `includeOptimizer`. */
  optimizers?: Readonly<Record<string, OptimizerClass>>;
  /** The most parameter values the file may hold in all. Default 2²⁶ (256 MiB of float32). */
  maxParameters?: number;
}

/** Limits on a file's structure, checked before anything is allocated from it. */
const MAX_LAYERS = 10_000;
const MAX_RANK = 8;
const MAX_DIMENSION = 2 ** 24;

/** Builds the model a {@link ModelFile} describes, validating everything. @internal */
export function loadModel(data: unknown, options: LoadOptions): Sequential {
  const root = object(parse(data), '$');
  if (root.format !== MODEL_FORMAT) {
    throw new ModelFormatError('$.format', `expected "${MODEL_FORMAT}", found ${show(root.format)}`);
  }
  if (root.version !== MODEL_VERSION) {
    throw new ModelFormatError('$.version', `this library reads version ${MODEL_VERSION}, found ${show(root.version)}`);
  }
  const maxParameters = options.maxParameters ?? 2 ** 26;
  const total = { values: 0 };
  const weights = readTensors(object(root.weights, '$.weights'), '$.weights', maxParameters, total);
  // The state section (running statistics and the like) came after version 1's first release: absent means none.
  const state =
    root.state === undefined
      ? new Map<string, DecodedTensor>()
      : readTensors(object(root.state, '$.state'), '$.state', maxParameters, total);

  const classes = layerClasses(options.layers);
  const specs = array(root.layers, '$.layers', MAX_LAYERS);
  const budget: Budget = { parameters: 0, max: maxParameters };
  const model = new Sequential(specs.map((spec, i) => buildLayer(spec, `$.layers[${i}]`, classes, budget)));

  restoreTensors(model.params(), weights, '$.weights', 'parameter');
  restoreTensors(model.state(), state, '$.state', 'state tensor');
  if (root.training !== undefined) restoreTraining(model, object(root.training, '$.training'), options);
  return model;
}

/**
 * Copies each saved tensor into the model tensor of the same name, after checking its shape; every model tensor must
 * be saved and no saved tensor may be left over.
 */
function restoreTensors(
  targets: readonly { name: string; value: Tensor }[],
  saved: Map<string, DecodedTensor>,
  section: string,
  kind: string,
): void {
  const what = section === '$.weights' ? 'weights' : 'values';
  for (const t of targets) {
    const entry = saved.get(t.name);
    if (!entry) throw new ModelFormatError(section, `missing the ${what} of ${kind} '${t.name}'`);
    const path = `${section}[${JSON.stringify(t.name)}].shape`;
    if (entry.shape.length !== t.value.rank || entry.shape.some((d, i) => d !== t.value.shape[i])) {
      throw new ModelFormatError(
        path,
        `expected [${t.value.shape}] for the layer as configured, found [${entry.shape}]`,
      );
    }
    t.value.data.set(entry.values);
    saved.delete(t.name);
  }
  for (const name of saved.keys()) {
    throw new ModelFormatError(
      `${section}[${JSON.stringify(name)}]`,
      `the model has no ${kind} of this name; its ${kind}s are ${targets.map((t) => t.name).join(', ') || 'none'}`,
    );
  }
}

function parse(data: unknown): unknown {
  if (typeof data !== 'string') return data;
  try {
    return JSON.parse(data);
  } catch (error) {
    throw new ModelFormatError('$', `not valid JSON (${(error as Error).message})`, { cause: error });
  }
}

function layerClasses(custom: LoadOptions['layers'] = {}): Map<string, LayerClass> {
  // Built lazily: Sequential is both a layer class here and the importer of this module.
  const classes = new Map<string, LayerClass>([
    [Dense.type, Dense as LayerClass],
    [Conv2D.type, Conv2D],
    [MaxPool2D.type, MaxPool2D],
    [AvgPool2D.type, AvgPool2D],
    [ReLU.type, ReLU],
    [LeakyReLU.type, LeakyReLU],
    [Sigmoid.type, Sigmoid],
    [Tanh.type, Tanh],
    [GELU.type, GELU],
    [Softmax.type, Softmax],
    [Flatten.type, Flatten],
    [Dropout.type, Dropout],
    [BatchNorm.type, BatchNorm],
    [Sequential.type, Sequential],
  ]);
  for (const [type, cls] of Object.entries(custom)) {
    if (typeof cls?.fromConfig !== 'function') {
      throw new TypeError(`Sequential.load: the class given for layer type '${type}' has no static fromConfig`);
    }
    classes.set(type, cls);
  }
  return classes;
}

/**
 * A {@link LoadContext} that builds layers from their `{ type, config }` as loading a model does: the built-in classes
 * plus `layers`, with no limit on their parameters. For `fromConfig` calls outside a model file, such as the layer
 * conformance checks. @internal
 */
export function createLoadContext(layers?: LoadOptions['layers']): LoadContext {
  const classes = layerClasses(layers);
  const budget: Budget = { parameters: 0, max: Number.POSITIVE_INFINITY };
  return { buildLayer: (spec, path) => buildLayer(spec, `$${path}`, classes, budget) };
}

/** The parameters the layers built so far allocated, and the most they may. */
interface Budget {
  parameters: number;
  max: number;
}

function buildLayer(spec: unknown, path: string, classes: Map<string, LayerClass>, budget: Budget): Layer {
  const entry = object(spec, path);
  const type = entry.type;
  if (typeof type !== 'string' || type.length === 0 || type.length > 200) {
    throw new ModelFormatError(`${path}.type`, `expected a layer type name, found ${show(type)}`);
  }
  const cls = classes.get(type);
  if (!cls) {
    const known = [...classes.keys()].join(', ');
    throw new ModelFormatError(
      `${path}.type`,
      `unknown layer type '${type}'; known types: ${known}. Pass custom layers as Sequential.load(data, { layers: { '${type}': YourClass } })`,
    );
  }
  const config = object(entry.config, `${path}.config`) as LayerConfig;
  const context: LoadContext = {
    buildLayer: (inner, relative) => buildLayer(inner, `${path}.config${relative}`, classes, budget),
  };
  const before = budget.parameters;
  let layer: Layer;
  try {
    layer = cls.fromConfig(config, context);
  } catch (error) {
    if (error instanceof ModelFormatError) throw error;
    if (error instanceof ConfigError)
      throw new ModelFormatError(`${path}.config.${error.field}`, error.message, { cause: error });
    throw new ModelFormatError(`${path}.config`, `${type}.fromConfig failed: ${(error as Error)?.message ?? error}`, {
      cause: error,
    });
  }
  if (!layer || layer.type !== type) {
    throw new ModelFormatError(`${path}.type`, `${type}.fromConfig returned a layer of type '${layer?.type}'`);
  }
  // Layers allocate their parameters as they are built, so a file of many large layers must stop at the first one past
  // the limit, not after allocating them all. A container's parameters are those of the layers it built through
  // the context, already counted.
  const own = layer.params().reduce((sum, p) => sum + p.value.size, 0);
  budget.parameters = before + Math.max(own, budget.parameters - before);
  if (budget.parameters > budget.max) {
    throw new ModelFormatError(
      path,
      `the layers so far hold ${budget.parameters} parameters, over maxParameters (${budget.max}); pass a larger limit to load a bigger model`,
    );
  }
  return layer;
}

interface DecodedTensor {
  shape: number[];
  values: Float32Array;
}

/** Decodes a section of named tensors (`weights` or `state`); `total` counts the values of every section read. */
function readTensors(
  tensors: Record<string, unknown>,
  section: string,
  maxParameters: number,
  total: { values: number },
): Map<string, DecodedTensor> {
  const result = new Map<string, DecodedTensor>();
  for (const name of Object.keys(tensors)) {
    const path = `${section}[${JSON.stringify(name)}]`;
    const entry = object(tensors[name], path);
    if (entry.dtype !== 'float32')
      throw new ModelFormatError(`${path}.dtype`, `expected "float32", found ${show(entry.dtype)}`);
    const shape = array(entry.shape, `${path}.shape`, MAX_RANK).map((d, i) => {
      if (!Number.isSafeInteger(d) || (d as number) < 0 || (d as number) > MAX_DIMENSION) {
        throw new ModelFormatError(
          `${path}.shape[${i}]`,
          `expected an integer in [0, ${MAX_DIMENSION}], found ${show(d)}`,
        );
      }
      return d as number;
    });
    const size = shape.reduce((a, b) => a * b, 1);
    total.values += size;
    if (total.values > maxParameters) {
      throw new ModelFormatError(
        path,
        `the weights exceed maxParameters (${maxParameters}); pass a larger limit to load a bigger model`,
      );
    }
    result.set(name, { shape, values: decodeValues(entry.data, size, `${path}.data`) });
  }
  return result;
}

function decodeValues(data: unknown, size: number, path: string): Float32Array {
  if (typeof data !== 'string') throw new ModelFormatError(path, `expected a base64 string, found ${show(data)}`);
  // The length check comes first: it bounds the allocation by what the shape promised.
  if (data.length !== encodedLength(size * 4)) {
    throw new ModelFormatError(
      path,
      `expected ${encodedLength(size * 4)} base64 characters for ${size} float32 values, found ${data.length}`,
    );
  }
  const values = decodeFloat32(data, size);
  if (!values) throw new ModelFormatError(path, 'is not valid base64');
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i]))
      throw new ModelFormatError(path, `value ${i} is ${values[i]}; weights must be finite`);
  }
  return values;
}

function restoreTraining(model: Sequential, training: Record<string, unknown>, options: LoadOptions): void {
  const lossName = training.loss;
  const loss = typeof lossName === 'string' ? lossByName(lossName) : undefined;
  if (!loss) {
    throw new ModelFormatError('$.training.loss', `expected one of ${LOSS_NAMES.join(', ')}, found ${show(lossName)}`);
  }
  const saved = object(training.optimizer, '$.training.optimizer');
  const classes = new Map<string, OptimizerClass>([
    ['SGD', SGD],
    ['Momentum', Momentum],
    ['Adam', Adam],
    ['AdamW', AdamW],
    ['RMSprop', RMSprop],
    ['AdaGrad', AdaGrad],
    ...Object.entries(options.optimizers ?? {}),
  ]);
  const type = saved.type;
  const cls = typeof type === 'string' ? classes.get(type) : undefined;
  if (!cls) {
    throw new ModelFormatError(
      '$.training.optimizer.type',
      `unknown optimizer ${show(type)}; known: ${[...classes.keys()].join(', ')}`,
    );
  }
  let optimizer: Optimizer;
  try {
    optimizer = cls.fromConfig(object(saved.config, '$.training.optimizer.config') as LayerConfig);
  } catch (error) {
    if (error instanceof ModelFormatError) throw error;
    const field = error instanceof ConfigError ? `.${error.field}` : '';
    throw new ModelFormatError(`$.training.optimizer.config${field}`, (error as Error).message, { cause: error });
  }
  const iterations = saved.iterations;
  if (!Number.isSafeInteger(iterations) || (iterations as number) < 0) {
    throw new ModelFormatError(
      '$.training.optimizer.iterations',
      `expected a non-negative integer, found ${show(iterations)}`,
    );
  }
  const sizes = new Map(model.params().map((p) => [p.name, p.value.size]));
  const slots: Record<string, Record<string, Float32Array>> = Object.create(null);
  const savedSlots = object(saved.slots, '$.training.optimizer.slots');
  for (const name of Object.keys(savedSlots)) {
    const path = `$.training.optimizer.slots[${JSON.stringify(name)}]`;
    const size = sizes.get(name);
    if (size === undefined) throw new ModelFormatError(path, 'the model has no parameter of this name');
    const perSlot = object(savedSlots[name], path);
    slots[name] = Object.create(null);
    for (const slot of Object.keys(perSlot)) {
      slots[name][slot] = decodeValues(perSlot[slot], size, `${path}[${JSON.stringify(slot)}]`);
    }
  }
  try {
    optimizer.loadState({ type: optimizer.type, iterations: iterations as number, slots }, model.params());
  } catch (error) {
    throw new ModelFormatError('$.training.optimizer.slots', (error as Error).message, { cause: error });
  }
  const random = training.random;
  if (
    !Array.isArray(random) ||
    random.length !== 4 ||
    random.some((w) => !Number.isInteger(w) || w < 0 || w > 0xffffffff) ||
    random.every((w) => w === 0)
  ) {
    throw new ModelFormatError(
      '$.training.random',
      `expected four unsigned 32-bit integers, not all zero, found ${show(random)}`,
    );
  }
  model.rng.setState(random as number[]);
  model.compile({ loss, optimizer });
}

function object(value: unknown, path: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ModelFormatError(path, `expected an object, found ${show(value)}`);
  }
  return value as Record<string, unknown>;
}

function array(value: unknown, path: string, max: number): unknown[] {
  if (!Array.isArray(value)) throw new ModelFormatError(path, `expected an array, found ${show(value)}`);
  if (value.length > max) throw new ModelFormatError(path, `expected at most ${max} entries, found ${value.length}`);
  return value;
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (value !== null && typeof value === 'object') return 'an object';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}
