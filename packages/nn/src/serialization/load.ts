import type { LayerClass, LoadContext } from '../layer.js';
import type { OptimizerClass } from '../optimizers/optimizer.js';
import { Sequential } from '../sequential.js';
import { BUILT_IN_LAYERS } from './built-ins.js';
import { checkChain } from './check-chain.js';
import { describeValue } from './describe-value.js';
import { arrayAt, checkFields, objectAt } from './json-fields.js';
import { LayerBuilder, MAX_LAYERS } from './layer-builder.js';
import { MODEL_FORMAT, MODEL_VERSION } from './model-file.js';
import { ModelFormatError } from './model-format-error.js';
import { type DecodedTensor, readTensors } from './read-tensors.js';
import { restoreTensors } from './restore-tensors.js';
import { restoreTraining } from './restore-training.js';

/** Options of {@link loadModel}. */
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
 * Restores a model saved by {@link Sequential.save} (its JSON text, or the parsed object), treating the data as
 * untrusted: everything is validated, in an order that allocates nothing the file does not pay for. The tensors come
 * first (their size is bounded by the base64 text that holds them), then the layers (each reserving its values
 * against those tensors before allocating), then the chaining of the layers, and only then the copy of the weights
 * and the training state. The model comes back in ordinary memory; place it with `model.to(backend)`.
 *
 * Loading is a free function rather than a static method of `Sequential`, so that a program that never loads a model
 * does not bundle every layer and optimizer class (Keras's `load_model` beside `model.save()` is the same shape).
 *
 * @param data - the saved object, or its JSON text
 * @param options - custom layer and optimizer classes, and a limit on the values the file may hold
 * @throws {@link ModelFormatError} naming the JSON path of the first problem
 * @example
 * ```ts
 * import { Dense, loadModel, ReLU, Sequential } from '@mnist/nn';
 *
 * const model = new Sequential([new Dense(4, 3), new ReLU()], { seed: 1 });
 * const restored = loadModel(JSON.stringify(model.save()));
 * ```
 */
export function loadModel(data: unknown, options: LoadOptions = {}): Sequential {
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
    throw new RangeError(`loadModel: maxParameters must be an integer ≥ 0, found ${maxParameters}`);
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
  // The built-ins and the container, which nests like any layer, then the caller's own.
  const classes = new Map<string, LayerClass>([...BUILT_IN_LAYERS, [Sequential.type, Sequential]]);
  for (const [type, cls] of Object.entries(custom)) {
    if (typeof cls?.fromConfig !== 'function') {
      throw new TypeError(`loadModel: the class given for layer type '${type}' has no static fromConfig`);
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
