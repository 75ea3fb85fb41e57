import { decodeBase64, decodedLength, encodedLength, float32FromBytes } from './base64.js';
import { crc32 } from './crc32.js';
import { describeValue } from './describe-value.js';
import { arrayAt, checkFields, entryPath, objectAt } from './json-fields.js';
import { ModelFormatError } from './model-format-error.js';

/** The most dimensions a saved tensor may have. */
const MAX_RANK = 8;
/** The largest dimension of a saved tensor. */
const MAX_DIMENSION = 2 ** 24;
/** The fields of a tensor entry in `weights` or `state`. */
const TENSOR_FIELDS = ['dtype', 'shape', 'data', 'crc32'] as const;

/** A tensor read from a model file, checked and decoded. @internal */
export interface DecodedTensor {
  shape: number[];
  values: Float32Array;
}

/** The values the sections read so far hold, and the most they may. @internal */
export interface ValueCount {
  values: number;
  readonly max: number;
}

/**
 * Reads a section of named tensors (`weights` or `state`): each entry's fields, dtype and shape are checked, its
 * size counted against `count.max` before its data is decoded, and its data checked against its `crc32` when the
 * entry has one (files written before the checksum existed have none). Nothing is allocated beyond what the base64
 * text of the file pays for. @internal
 */
export function readTensors(section: unknown, path: string, count: ValueCount): Map<string, DecodedTensor> {
  const tensors = objectAt(section, path);
  const result = new Map<string, DecodedTensor>();
  for (const name of Object.keys(tensors)) {
    const at = entryPath(path, name);
    const entry = objectAt(tensors[name], at);
    checkFields(entry, at, TENSOR_FIELDS, 'a tensor entry');
    if (entry.dtype !== 'float32') {
      throw new ModelFormatError(`${at}.dtype`, `expected "float32", found ${describeValue(entry.dtype)}`);
    }
    const shape = arrayAt(entry.shape, `${at}.shape`, MAX_RANK).map((d, i) => {
      if (typeof d !== 'number' || !Number.isSafeInteger(d) || d < 0 || d > MAX_DIMENSION) {
        throw new ModelFormatError(
          `${at}.shape[${i}]`,
          `expected an integer in [0, ${MAX_DIMENSION}], found ${describeValue(d)}`,
        );
      }
      return d;
    });
    // At most 8 factors of at most 2²⁴ each: the product may pass 2⁵³ and round, but only far above any limit.
    count.values += shape.reduce((a, b) => a * b, 1);
    if (count.values > count.max) {
      throw new ModelFormatError(
        at,
        `the weights and state exceed maxParameters (${count.max}); pass a larger limit to load a bigger model`,
      );
    }
    const digest = entry.crc32;
    if (digest !== undefined && (typeof digest !== 'string' || !/^[0-9a-f]{8}$/.test(digest))) {
      throw new ModelFormatError(
        `${at}.crc32`,
        `expected 8 lowercase hexadecimal digits, found ${describeValue(digest)}`,
      );
    }
    result.set(name, { shape, values: decodeValues(entry.data, shape, `${at}.data`, digest) });
  }
  return result;
}

/**
 * Decodes base64 float32 data that must hold the values of `shape`, all finite, and match the CRC-32 `digest` of its
 * bytes when one is given. The length is checked before anything is decoded, so the allocation is bounded by what
 * the shape promised and the text holds. @internal
 */
export function decodeValues(data: unknown, shape: readonly number[], path: string, digest?: string): Float32Array {
  if (typeof data !== 'string') {
    throw new ModelFormatError(path, `expected a base64 string, found ${describeValue(data)}`);
  }
  const size = shape.reduce((a, b) => a * b, 1);
  const expectedLength = encodedLength(size * 4);
  if (data.length !== expectedLength) {
    const bytes = decodedLength(data);
    const found = bytes % 4 === 0 ? `${bytes / 4}` : `${bytes} bytes, not a whole number of float32 values`;
    throw new ModelFormatError(
      path,
      `expected ${size} float32 values for shape [${shape.join(', ')}], found ${found} ` +
        `(${data.length} base64 characters where ${expectedLength} were expected)`,
    );
  }
  const bytes = decodeBase64(data, size * 4);
  if (!bytes) throw new ModelFormatError(path, 'is not valid base64');
  const actual = digest === undefined ? undefined : crc32(bytes);
  const damaged =
    actual === digest
      ? ''
      : `the data does not match its checksum (crc32 "${digest}" in the file, "${actual}" computed)`;
  const values = float32FromBytes(bytes);
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) {
      throw new ModelFormatError(
        path,
        `value ${i} is ${values[i]}; weights must be finite${damaged && `, and ${damaged}`}`,
      );
    }
  }
  if (damaged) throw new ModelFormatError(path, `${damaged}: the file is damaged`);
  return values;
}
