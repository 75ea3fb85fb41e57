import { ConfigError } from './config-error.js';
import type { LayerConfig } from './layer.js';
import { describeValue } from './serialization/describe-value.js';

/**
 * The largest size a config may give one dimension (2²⁰). Configs come from files, and a layer allocates its
 * parameters from them, so an absurd size must fail before it becomes an allocation.
 */
export const MAX_DIMENSION = 2 ** 20;

/** The most parameters one layer may allocate from a config (2²⁶ float32 values, 256 MiB). */
export const MAX_LAYER_PARAMETERS = 2 ** 26;

/** Typed, validating access to a layer config's fields; each getter throws a {@link ConfigError}. @internal */
export interface ConfigReader {
  integer(field: string, min?: number, max?: number): number;
  number(field: string): number;
  /** A finite number, or `undefined` when the field is absent (a field added after files were written). */
  optionalNumber(field: string): number | undefined;
  boolean(field: string): boolean;
  oneOf<T extends string>(field: string, values: readonly T[]): T;
  array(field: string): unknown[];
  /**
   * Ends the reading: throws a {@link ConfigError} for the first field of the config that no getter asked for. A
   * misspelt field (`outputsize`) or one this version does not know would otherwise be ignored in silence, and the
   * layer built with a default the file never meant. Call it after the last getter, before allocating anything.
   */
  end(): void;
}

/** Wraps a config for validated reading; {@link ConfigReader.end} then rejects the fields nobody read. @internal */
export function readConfig(layer: string, config: LayerConfig): ConfigReader {
  const read: string[] = [];
  const raw = (field: string): unknown => {
    if (!read.includes(field)) read.push(field);
    return Object.hasOwn(config, field) ? config[field] : undefined;
  };
  const fail = (field: string, expected: string): never => {
    throw new ConfigError(layer, field, expected, describeValue(raw(field), 40));
  };
  const number = (field: string): number => {
    const v = raw(field);
    return typeof v === 'number' && Number.isFinite(v) ? v : fail(field, 'a finite number');
  };
  return {
    integer(field, min = 1, max = MAX_DIMENSION) {
      const v = raw(field);
      return typeof v === 'number' && Number.isSafeInteger(v) && v >= min && v <= max
        ? v
        : fail(field, `an integer in [${min}, ${max}]`);
    },
    number,
    optionalNumber(field) {
      return raw(field) === undefined ? undefined : number(field);
    },
    boolean(field) {
      const v = raw(field);
      return typeof v === 'boolean' ? v : fail(field, 'true or false');
    },
    oneOf(field, values) {
      const v = raw(field);
      return typeof v === 'string' && (values as readonly string[]).includes(v)
        ? (v as (typeof values)[number])
        : fail(field, `one of ${values.map((x) => `'${x}'`).join(', ')}`);
    },
    array(field) {
      const v = raw(field);
      return Array.isArray(v) ? v : fail(field, 'an array');
    },
    end() {
      const unknown = Object.keys(config).find((key) => !read.includes(key));
      if (unknown === undefined) return;
      const fields = read.length > 0 ? `its fields are ${read.join(', ')}` : 'it has none';
      throw new ConfigError(
        layer,
        unknown,
        `absent: ${layer} has no field of this name (${fields})`,
        describeValue(config[unknown], 40),
      );
    },
  };
}
