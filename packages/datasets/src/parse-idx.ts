import { IdxFormatError } from './idx-format-error.js';
import { hex, IDX_TYPES, type IdxArrayTypes, type IdxType, idxTypeOfCode } from './idx-type.js';

/**
 * The contents of an IDX file: the dimensions, the element type and the values in row-major order, in the typed array
 * of that type (`data` is a `Uint8Array` when `type` is `'uint8'`, a `Float64Array` when it is `'float64'`, …).
 * Checking `type` narrows `data`.
 */
export type IdxData = {
  [T in IdxType]: {
    /** The element type, from the third byte of the magic number. */
    readonly type: T;
    /** The size of each dimension, outermost first, e.g. `[60000, 28, 28]` for MNIST's training images. Frozen. */
    readonly dims: readonly number[];
    /** The `dims[0]·dims[1]·…` values in row-major order. */
    readonly data: IdxArrayTypes[T];
  };
}[IdxType];

/** Options of {@link parseIdx}. */
export interface ParseIdxOptions {
  /** The file name that error messages give. Default `'IDX data'`. */
  name?: string;
  /**
   * Copy byte data (`uint8`, `int8`) out of the input. By default it is a view over the input's memory, which costs
   * nothing and keeps a 47 MB image file at 47 MB; wider types are always decoded into a new array.
   */
  copy?: boolean;
}

const TYPE_NAMES: Readonly<Record<IdxType, string>> = {
  uint8: 'unsigned bytes',
  int8: 'signed bytes',
  int16: 'shorts',
  int32: 'ints',
  float32: 'floats',
  float64: 'doubles',
};

const EXPECTED_TYPE_CODE =
  'a type code among 0x08 (unsigned byte), 0x09 (signed byte), 0x0B (short), 0x0C (int), 0x0D (float), 0x0E (double)';

/**
 * Parses an uncompressed IDX file (the format of MNIST, Fashion-MNIST and EMNIST): a magic number `00 00 tt nn` with
 * the type code `tt` and the number of dimensions `nn`, then `nn` big-endian 32-bit sizes, then the values,
 * big-endian, row-major. Every type code and any number of dimensions (1 to 255) is supported.
 *
 * The whole header is validated before anything is allocated: the magic number, the type code, the dimension
 * count, and the byte count the dimensions promise (computed without overflow) against the bytes present, which must
 * match exactly, with no trailing bytes. Gzipped input is rejected here with a hint; {@link decodeIdx} decompresses it.
 *
 * @param bytes - the whole file
 * @returns the dimensions, the type and the values; for `uint8` and `int8` the values are a view over `bytes` unless
 *   `copy` is set
 * @throws {@link IdxFormatError} naming the file, what was expected and what was found
 * @example
 * ```ts
 * declare const bytes: Uint8Array; // the contents of train-labels-idx1-ubyte
 *
 * const labels = parseIdx(bytes, { name: 'train-labels-idx1-ubyte' });
 * if (labels.type === 'uint8') console.log(labels.dims, labels.data[0]); // [60000] 5
 * ```
 */
export function parseIdx(bytes: Uint8Array | ArrayBuffer, options: ParseIdxOptions = {}): IdxData {
  const name = options.name ?? 'IDX data';
  const input = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  const header = readIdxHeader(input, name);
  const { type, dims, headerLength, count, dataBytes } = header;
  const available = input.length - headerLength;
  if (dataBytes > available) {
    throw new IdxFormatError(name, describeData(type, dims, headerLength), plural(available, 'byte'));
  }
  if (dataBytes < available) {
    throw new IdxFormatError(
      name,
      describeTotal(header),
      `${input.length}, with ${plural(available - dataBytes, 'trailing byte')}`,
    );
  }
  const view = new DataView(input.buffer, input.byteOffset, input.byteLength);
  return { type, dims, data: decodeValues(type, input, view, headerLength, count, options.copy === true) } as IdxData;
}

/** The longest IDX header: the magic number and 255 dimension sizes. @internal */
export const MAX_IDX_HEADER_BYTES = 4 + 4 * 255;

/** What an IDX header says, once validated. @internal */
export interface IdxHeader {
  /** The element type. */
  type: IdxType;
  /** The dimension sizes, frozen. */
  dims: readonly number[];
  /** `4 + 4·rank` bytes. */
  headerLength: number;
  /** The number of values the dimensions promise (`Infinity` past 2⁵³). */
  count: number;
  /** The bytes of data the dimensions promise (`Infinity` past 2⁵³). */
  dataBytes: number;
}

/**
 * Validates the header at the start of `input` (magic number, type code, dimension count, the dimension sizes being
 * present) and computes the size it promises without overflow. Reads only the header, so `input` may be just the
 * first bytes of a file. @internal
 */
export function readIdxHeader(input: Uint8Array, name: string): IdxHeader {
  if (input.length < 4) {
    throw new IdxFormatError(name, 'a 4-byte magic number', `${plural(input.length, 'byte')} in all`);
  }
  if (input[0] === 0x1f && input[1] === 0x8b) {
    throw new IdxFormatError(
      name,
      'an IDX magic number starting 0x00 0x00',
      'gzip data (0x1F 0x8B); decompress it first, or call decodeIdx, which does',
    );
  }
  if (input[0] !== 0 || input[1] !== 0) {
    throw new IdxFormatError(
      name,
      'an IDX magic number starting 0x00 0x00',
      `${hex(input[0])} ${hex(input[1])} ${hex(input[2])} ${hex(input[3])}`,
    );
  }
  const type = idxTypeOfCode(input[2]);
  if (type === undefined) throw new IdxFormatError(name, EXPECTED_TYPE_CODE, hex(input[2]));
  const rank = input[3];
  if (rank === 0) throw new IdxFormatError(name, 'at least 1 dimension in the magic number', '0');
  const headerLength = 4 + 4 * rank;
  if (input.length < headerLength) {
    throw new IdxFormatError(
      name,
      `a ${headerLength}-byte header (magic number and ${plural(rank, 'dimension size')})`,
      `${plural(input.length, 'byte')} in all`,
    );
  }
  const view = new DataView(input.buffer, input.byteOffset, headerLength);
  const dims: number[] = new Array(rank);
  for (let d = 0; d < rank; d++) dims[d] = view.getUint32(4 + 4 * d); // big-endian
  // Each size is below 2³², so a product of several can pass 2⁵³, where doubles stop being exact: stop there and
  // call it Infinity, which is more than any input holds. The exact figure, if needed, comes from describeData.
  let count = dims.includes(0) ? 0 : 1;
  for (let d = 0; d < rank && count > 0 && count <= Number.MAX_SAFE_INTEGER; d++) count *= dims[d];
  const dataBytes = count * IDX_TYPES[type].bytes;
  return {
    type,
    dims: Object.freeze(dims),
    headerLength,
    count: count > Number.MAX_SAFE_INTEGER ? Number.POSITIVE_INFINITY : count,
    dataBytes: dataBytes > Number.MAX_SAFE_INTEGER ? Number.POSITIVE_INFINITY : dataBytes,
  };
}

/** `60000×28×28 unsigned bytes (47040000 bytes of data after the 16-byte header)`, exact even past 2⁵³. @internal */
export function describeData(type: IdxType, dims: readonly number[], headerLength: number): string {
  const exact = dims.reduce((product, dim) => product * BigInt(dim), 1n) * BigInt(IDX_TYPES[type].bytes);
  return `${dims.join('×')} ${TYPE_NAMES[type]} (${exact} bytes of data after the ${headerLength}-byte header)`;
}

/**
 * `9 bytes in all (8-byte header and 1 byte of 1 unsigned bytes)`: the exact size of a file with this header, for a
 * header whose data size is finite (one the input could hold). @internal
 */
export function describeTotal({ type, dims, headerLength, dataBytes }: IdxHeader): string {
  return `${headerLength + dataBytes} bytes in all (${headerLength}-byte header and ${plural(dataBytes, 'byte')} of ${dims.join('×')} ${TYPE_NAMES[type]})`;
}

function decodeValues(type: IdxType, input: Uint8Array, view: DataView, offset: number, count: number, copy: boolean) {
  switch (type) {
    case 'uint8': {
      const values = new Uint8Array(input.buffer, input.byteOffset + offset, count);
      return copy ? values.slice() : values;
    }
    case 'int8': {
      const values = new Int8Array(input.buffer, input.byteOffset + offset, count);
      return copy ? values.slice() : values;
    }
    case 'int16': {
      const out = new Int16Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt16(offset + 2 * i);
      return out;
    }
    case 'int32': {
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt32(offset + 4 * i);
      return out;
    }
    case 'float32': {
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(offset + 4 * i);
      return out;
    }
    case 'float64': {
      const out = new Float64Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(offset + 8 * i);
      return out;
    }
  }
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
