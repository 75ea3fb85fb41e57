import type { LayerClass, LoadContext } from '../layer.js';
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
import type { OptimizerClass } from '../optimizers/optimizer.js';
import { Sequential } from '../sequential.js';
import { checkChain } from './check-chain.js';
import { describeValue } from './describe-value.js';
import { arrayAt, checkFields, objectAt } from './json-fields.js';
import { LayerBuilder, MAX_LAYERS } from './layer-builder.js';
import { MODEL_FORMAT, MODEL_VERSION } from './model-file.js';
import { ModelFormatError } from './model-format-error.js';
import { type DecodedTensor, readTensors } from './read-tensors.js';
import { restoreTensors } from './restore-tensors.js';
import { restoreTraining } from './restore-training.js';

/** Options of {@link Sequential.load}. */
export interface LoadOptions {
  /**
   * Your own layer classes, by their `type`, each with a static `fromConfig`: `{ 'acme/Scale': Scale }`. They join
   * the built-in layers; a type not found in either is an error that lists the known ones.
   */
  layers?: Readonly<Record<string, LayerClass>>;
  /** Your own optimizer classes, by their `type`, for files saved with `includeOptimizer`. */
  optimizers?: Readonly<Record<string, OptimizerClass>>;
  /** The most parameter and state values the file may hold in all. Default 2²⁶ (256 MiB of float32). */
  maxParameters?: number;
}

/** The fields of a model file's top level. */
const FILE_FIELDS = ['format', 'version', 'layers', 'weights', 'state', 'training'] as const;

/**
 * Builds the model a {@link ModelFile} describes, validating everything, in an order that allocates nothing the file
 * does not pay for: the tensors first (their size is bounded by the base64 text that holds them), then the layers
 * (each reserving its values against those tensors before allocating), then the chaining of the layers, and only
 * then the copy of the weights and the training state. @internal
 */
export function loadModel(data: unknown, options: LoadOptions): Sequential {
  const root = objectAt(parse(data), '$');
  if (root.format !== MODEL_FORMAT) {
    throw new ModelFormatError('$.format', `expected "${MODEL_FORMAT}", found ${describeValue(root.format)}`);
  }
  if (root.version !== MODEL_VERSION) {
    throw new ModelFormatError(
      '$.version',
      `this library reads version ${MODEL_VERSION}, found ${describeValue(root.version)}`,
    );
  }
  // After the format tag: another kind of JSON file is better told apart by its tag than by its first unknown field.
  checkFields(root, '$', FILE_FIELDS, 'a model file');
  const maxParameters = options.maxParameters ?? 2 ** 26;
  if (!(maxParameters >= 0) || (!Number.isSafeInteger(maxParameters) && maxParameters !== Number.POSITIVE_INFINITY)) {
    throw new RangeError(`Sequential.load: maxParameters must be an integer ≥ 0, found ${maxParameters}`);
  }
  const count = { values: 0, max: maxParameters };
  const weights = readTensors(root.weights, '$.weights', count);
  // The state section (running statistics and the like) came after version 1's first release: absent means none.
  const state = root.state === undefined ? new Map<string, DecodedTensor>() : readTensors(root.state, '$.state', count);

  const builder = new LayerBuilder(layerClasses(options.layers), { paid: count.values, maxParameters });
  const specs = arrayAt(root.layers, '$.layers', MAX_LAYERS);
  if (specs.length === 0) throw new ModelFormatError('$.layers', 'expected at least one layer, found none');
  const layers = specs.map((spec, i) => builder.build(spec, `$.layers[${i}]`));
  checkChain(layers, '$.layers');

  const model = new Sequential(layers);
  restoreTensors(model.params(), weights, '$.weights', 'parameter');
  restoreTensors(model.state(), state, '$.state', 'state tensor');
  if (root.training !== undefined) restoreTraining(model, root.training, options.optimizers);
  return model;
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
    [Dense.type, Dense],
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
 * plus `layers`, with no limit on their values. For `fromConfig` calls outside a model file, such as the layer
 * conformance checks. @internal
 */
export function createLoadContext(layers?: LoadOptions['layers']): LoadContext {
  const unlimited = { paid: Number.POSITIVE_INFINITY, maxParameters: Number.POSITIVE_INFINITY };
  return new LayerBuilder(layerClasses(layers), unlimited).context('$', 'the layer', 0);
}
