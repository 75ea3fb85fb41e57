/**
 * A short description of an untrusted value for an error message: JSON for a string, number, boolean or null (cut to
 * `maxLength` characters), and only the kind and size of an array or object, so describing a value never walks it
 * (a deeply nested value would overflow the stack) and never prints megabytes. @internal
 */
export function describeValue(value: unknown, maxLength = 60): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (value !== null && typeof value === 'object') return 'an object';
  if (typeof value === 'function') return 'a function';
  // JSON.stringify shows NaN and ±Infinity as null, and JSON.parse turns a literal such as 1e400 into Infinity.
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  if (typeof value === 'symbol' || typeof value === 'bigint') return String(value);
  const text = JSON.stringify(value);
  return text.length > maxLength ? `${text.slice(0, maxLength)}…` : text;
}

/**
 * What a throw carried, for a message: an `Error`'s message, or a description of any other value (code may throw
 * `null`, a symbol, or an object whose `message` getter throws in turn). Never throws. @internal
 */
export function describeThrown(thrown: unknown): string {
  try {
    if (thrown instanceof Error) return String(thrown.message);
  } catch {
    // A hostile getter or prototype: describe the value instead.
  }
  try {
    return describeValue(thrown);
  } catch {
    return 'a value that cannot be printed';
  }
}
