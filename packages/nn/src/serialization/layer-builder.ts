import { ConfigError } from '../config-error.js';
import type { Layer, LayerClass, LayerConfig, LoadContext } from '../layer.js';
import { describeThrown, describeValue } from './describe-value.js';
import { checkFields, fieldPath, objectAt } from './json-fields.js';
import { ModelFormatError } from './model-format-error.js';

/** The most layers a file may declare, nested ones included. */
export const MAX_LAYERS = 10_000;
/** How deep containers (a `Sequential` in a `Sequential`) may nest in a file. */
export const MAX_NESTING = 16;
/**
 * The values a file's layers may allocate beyond what its weights and state hold: 2¹⁶ float32 values (256 KiB).
 * Enough for a small model that lacks a tensor to be built, so that the error names the missing tensor; too little to
 * matter for memory.
 */
export const UNPAID_ALLOWANCE = 2 ** 16;

/** What the layers built from one file may allocate. @internal */
export interface AllocationLimit {
  /** The float32 values the file's `weights` and `state` sections hold (`Infinity` when there is no file). */
  readonly paid: number;
  /** The `maxParameters` option. */
  readonly maxParameters: number;
}

/**
 * Builds layers from untrusted `{ type, config }` values, resolving each type through an explicit map of classes and
 * keeping the values all layers allocate within an {@link AllocationLimit}. A built-in layer declares its size
 * through {@link LoadContext.reserve} before allocating; a layer that does not is counted after construction.
 * Whatever a class throws or returns, the outcome is a layer or a {@link ModelFormatError} naming the JSON path.
 * @internal
 */
export class LayerBuilder {
  private reserved = 0;
  private built = 0;

  /**
   * @param classes - the layer classes by type: the built-ins and the caller's
   * @param limit - what the layers may allocate in all
   */
  constructor(
    private readonly classes: ReadonlyMap<string, LayerClass>,
    private readonly limit: AllocationLimit,
  ) {}

  /**
   * Builds the layer `spec` found at `path`, `depth` containers deep.
   * @throws {@link ModelFormatError} for anything wrong with it, at the JSON path of the problem
   */
  build(spec: unknown, path: string, depth = 0): Layer {
    if (depth > MAX_NESTING) {
      throw new ModelFormatError(
        path,
        `layers nest more than ${MAX_NESTING} containers deep, the most a model file may`,
      );
    }
    if (++this.built > MAX_LAYERS) {
      throw new ModelFormatError(path, `a model file may hold at most ${MAX_LAYERS} layers, nested ones included`);
    }
    const entry = objectAt(spec, path);
    checkFields(entry, path, ['type', 'config'], 'a layer');
    const type = entry.type;
    if (typeof type !== 'string' || type.length === 0 || type.length > 200) {
      throw new ModelFormatError(`${path}.type`, `expected a layer type name, found ${describeValue(type)}`);
    }
    const cls = this.classes.get(type);
    if (!cls) {
      const known = [...this.classes.keys()].join(', ');
      throw new ModelFormatError(
        `${path}.type`,
        `unknown layer type '${type}'; known types: ${known}. Pass custom layers as loadModel(data, { layers: { '${type}': YourClass } })`,
      );
    }
    const config = objectAt(entry.config, `${path}.config`) as LayerConfig;
    const before = this.reserved;
    const layer = this.call(`${path}.config`, `${type}.fromConfig`, () =>
      cls.fromConfig(config, this.context(`${path}.config`, type, depth)),
    );
    const held = this.check(layer, path, type);
    // A layer that reserved nothing (a custom one) is counted now; a container's nested layers reserved their own.
    this.reserved = before + Math.max(held, this.reserved - before);
    const over = this.exceeded(this.reserved);
    if (over) {
      throw new ModelFormatError(
        path,
        `the layers up to this one hold ${this.reserved} values of parameters and state, ${over}`,
      );
    }
    return layer;
  }

  /**
   * The context a class's `fromConfig` gets: it builds nested layers below `configPath` and reserves values for the
   * layer of `type` being built there.
   */
  context(configPath: string, type: string, depth: number): LoadContext {
    return {
      buildLayer: (spec, relative) => this.build(spec, `${configPath}${String(relative).slice(0, 200)}`, depth + 1),
      reserve: (values, field) =>
        this.reserve(values, field === undefined ? configPath : fieldPath(configPath, String(field)), type),
    };
  }

  private reserve(values: number, path: string, type: string): void {
    if (!Number.isSafeInteger(values) || values < 0) {
      throw new TypeError(`LoadContext.reserve: expected a number of values ≥ 0, found ${describeValue(values)}`);
    }
    const over = this.exceeded(this.reserved + values);
    if (over) {
      const earlier = this.reserved > 0 ? ` after the ${this.reserved} of the layers before it` : '';
      throw new ModelFormatError(
        path,
        `${type} would allocate ${values} float32 values for its parameters and state${earlier}, ${over}`,
      );
    }
    this.reserved += values;
  }

  /** Why `total` values are too many, or `undefined` when they are not. */
  private exceeded(total: number): string | undefined {
    const { paid, maxParameters } = this.limit;
    if (total > paid + UNPAID_ALLOWANCE) {
      return `but the file's weights and state hold only ${paid} (a model file holds every value its layers allocate)`;
    }
    if (total > maxParameters)
      return `over maxParameters (${maxParameters}); pass a larger limit to load a bigger model`;
    return undefined;
  }

  /** Checks that `fromConfig` returned a layer of its type, and returns the values of its parameters and state. */
  private check(built: unknown, path: string, type: string): number {
    if (built === null || typeof built !== 'object') {
      throw new ModelFormatError(`${path}.type`, `${type}.fromConfig returned ${describeValue(built)}, not a layer`);
    }
    const layer = built as Layer;
    const builtType = this.call(path, `${type}.type`, () => layer.type);
    if (builtType !== type) {
      const found = typeof builtType === 'string' ? `'${builtType}'` : describeValue(builtType);
      throw new ModelFormatError(`${path}.type`, `${type}.fromConfig returned a layer of type ${found}`);
    }
    for (const method of ['forward', 'backward', 'params', 'config', 'outputShape'] as const) {
      if (typeof this.call(path, `${type}.${method}`, () => layer[method]) !== 'function') {
        throw new ModelFormatError(path, `${type}.fromConfig returned a layer without a ${method}() method`);
      }
    }
    const params = this.call(path, `${type}.params()`, () => layer.params());
    const state = this.call(path, `${type}.state()`, () => layer.state?.() ?? []);
    return this.call(
      path,
      type,
      () => tensorValues(params, path, `${type}.params()`) + tensorValues(state, path, `${type}.state()`),
    );
  }

  /** Runs a class's code, turning whatever it throws into a {@link ModelFormatError} at `path`. */
  private call<T>(path: string, what: string, run: () => T): T {
    try {
      return run();
    } catch (error) {
      if (error instanceof ModelFormatError) throw error;
      if (error instanceof ConfigError) {
        throw new ModelFormatError(fieldPath(path, String(error.field)), error.message, { cause: error });
      }
      throw new ModelFormatError(path, `${what} failed: ${describeThrown(error)}`, { cause: error });
    }
  }
}

/** The values of a layer's `params()` or `state()`, after checking it is a list of named tensors. */
function tensorValues(list: unknown, path: string, what: string): number {
  if (!Array.isArray(list)) throw new ModelFormatError(path, `${what} returned ${describeValue(list)}, not an array`);
  let values = 0;
  for (const entry of list as unknown[]) {
    const value = (entry as { value?: { data?: unknown; shape?: unknown; size?: unknown } } | null)?.value;
    if (
      typeof (entry as { name?: unknown } | null)?.name !== 'string' ||
      !(value?.data instanceof Float32Array) ||
      !Array.isArray(value.shape) ||
      value.size !== value.data.length
    ) {
      throw new ModelFormatError(path, `${what} returned ${describeValue(entry)}, not a { name, value: Tensor }`);
    }
    values += value.data.length;
  }
  return values;
}
