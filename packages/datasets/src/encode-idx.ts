import { IDX_TYPES, type IdxType } from './idx-type.js';
import type { IdxData } from './parse-idx.js';

/**
 * Writes values in the IDX format that {@link parseIdx} reads: the magic number `00 00 tt nn`, the dimension sizes
 * as big-endian 32-bit integers, then the values big-endian. `parseIdx(encodeIdx(x))` gives back `x`.
 *
 * @param idx - the type, the dimensions (1 to 255 of them, each below 2³²) and the values in the matching typed array
 * @returns the bytes of the file
 * @throws TypeError when `data` is not the typed array of `type`; RangeError when the dimensions are invalid or do not
 *   multiply to `data.length`
 * @example
 * ```ts
 * const bytes = encodeIdx({ type: 'int16', dims: [2, 2], data: Int16Array.of(1, -2, 300, 4) });
 * parseIdx(bytes).data; // Int16Array [1, -2, 300, 4]
 * ```
 */
export function encodeIdx(idx: IdxData): Uint8Array {
  const { type, dims, data } = idx;
  const entry = IDX_TYPES[type as IdxType];
  if (!entry) throw new TypeError(`encodeIdx: type must be one of ${Object.keys(IDX_TYPES).join(', ')}, found ${type}`);
  if (!(data instanceof entry.array)) {
    throw new TypeError(`encodeIdx: type '${type}' needs a ${entry.array.name}, found ${describe(data)}`);
  }
  if (!Array.isArray(dims) || dims.length < 1 || dims.length > 255) {
    throw new RangeError(`encodeIdx: expected 1 to 255 dimensions, found ${Array.isArray(dims) ? dims.length : dims}`);
  }
  let count = 1;
  for (const d of dims) {
    if (!Number.isInteger(d) || d < 0 || d > 0xffffffff) {
      throw new RangeError(`encodeIdx: dimensions must be integers in [0, 2^32), found [${dims.join(', ')}]`);
    }
    count *= d;
  }
  if (count !== data.length) {
    throw new RangeError(`encodeIdx: dimensions [${dims.join(', ')}] hold ${count} values but data has ${data.length}`);
  }

  const headerLength = 4 + 4 * dims.length;
  const out = new Uint8Array(headerLength + count * entry.bytes);
  const view = new DataView(out.buffer);
  out[2] = entry.code;
  out[3] = dims.length;
  for (let d = 0; d < dims.length; d++) view.setUint32(4 + 4 * d, dims[d]); // big-endian
  switch (idx.type) {
    case 'uint8':
      out.set(idx.data, headerLength);
      break;
    case 'int8':
      out.set(new Uint8Array(idx.data.buffer, idx.data.byteOffset, count), headerLength);
      break;
    case 'int16':
      for (let i = 0; i < count; i++) view.setInt16(headerLength + 2 * i, idx.data[i]);
      break;
    case 'int32':
      for (let i = 0; i < count; i++) view.setInt32(headerLength + 4 * i, idx.data[i]);
      break;
    case 'float32':
      for (let i = 0; i < count; i++) view.setFloat32(headerLength + 4 * i, idx.data[i]);
      break;
    case 'float64':
      for (let i = 0; i < count; i++) view.setFloat64(headerLength + 8 * i, idx.data[i]);
      break;
  }
  return out;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'object';
  return typeof value;
}
