import { describeValue } from './describe-value.js';
import { ModelFormatError } from './model-format-error.js';

// Reading untrusted JSON with a path for every error: what a model file's loader checks at each level.

/** `path.key`, or `path["key"]` when the key is not an identifier. @internal */
export function fieldPath(path: string, key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

/** `path["name"]`: an entry of a map keyed by names, such as a tensor in `weights`. @internal */
export function entryPath(path: string, name: string): string {
  return `${path}[${JSON.stringify(name)}]`;
}

/** The value as an object (not an array, not null). @internal */
export function objectAt(value: unknown, path: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ModelFormatError(path, `expected an object, found ${describeValue(value)}`);
  }
  return value as Record<string, unknown>;
}

/** The value as an array of at most `max` entries. @internal */
export function arrayAt(value: unknown, path: string, max: number): unknown[] {
  if (!Array.isArray(value)) throw new ModelFormatError(path, `expected an array, found ${describeValue(value)}`);
  if (value.length > max) throw new ModelFormatError(path, `expected at most ${max} entries, found ${value.length}`);
  return value;
}

/**
 * Rejects a key of `object` that is not one of `fields`: a misspelt or unsupported field would otherwise be ignored
 * in silence. `what` names the object for the message (`a tensor entry`). @internal
 */
export function checkFields(object: Record<string, unknown>, path: string, fields: readonly string[], what: string) {
  for (const key of Object.keys(object)) {
    if (!fields.includes(key)) {
      throw new ModelFormatError(
        fieldPath(path, key),
        `unknown field; ${what} has only ${fields.join(', ')} (found ${describeValue(object[key])})`,
      );
    }
  }
}
