import { ConfigError } from './config-error.js';
import type { LayerConfig } from './layer.js';

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
}

/** Wraps a config for validated reading. @internal */
export function readConfig(layer: string, config: LayerConfig): ConfigReader {
  const raw = (field: string): unknown => (Object.hasOwn(config, field) ? config[field] : undefined);
  const fail = (field: string, expected: string): never => {
    throw new ConfigError(layer, field, expected, describe(raw(field)));
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
  };
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
