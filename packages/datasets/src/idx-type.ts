/**
 * The element type of an IDX file, named after the typed array that holds it:
 *
 * | code   | IDX type      | `IdxType`   | array          |
 * | ------ | ------------- | ----------- | -------------- |
 * | `0x08` | unsigned byte | `'uint8'`   | `Uint8Array`   |
 * | `0x09` | signed byte   | `'int8'`    | `Int8Array`    |
 * | `0x0B` | short (16 b)  | `'int16'`   | `Int16Array`   |
 * | `0x0C` | int (32 b)    | `'int32'`   | `Int32Array`   |
 * | `0x0D` | float (32 b)  | `'float32'` | `Float32Array` |
 * | `0x0E` | double (64 b) | `'float64'` | `Float64Array` |
 *
 * Multi-byte values are big-endian in the file.
 */
export type IdxType = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';

/** The typed array that holds each {@link IdxType}. */
export interface IdxArrayTypes {
  /** Unsigned bytes, type code `0x08`. */
  uint8: Uint8Array;
  /** Signed bytes, type code `0x09`. */
  int8: Int8Array;
  /** Big-endian 16-bit integers, type code `0x0B`. */
  int16: Int16Array;
  /** Big-endian 32-bit integers, type code `0x0C`. */
  int32: Int32Array;
  /** Big-endian IEEE 754 single precision, type code `0x0D`. */
  float32: Float32Array;
  /** Big-endian IEEE 754 double precision, type code `0x0E`. */
  float64: Float64Array;
}

/** The typed array of any IDX type. */
export type IdxArray = IdxArrayTypes[IdxType];

/** The type code, element size in bytes and array constructor of each type. @internal */
export const IDX_TYPES: Readonly<
  Record<IdxType, { code: number; bytes: number; array: new (length: number) => IdxArray }>
> = {
  uint8: { code: 0x08, bytes: 1, array: Uint8Array },
  int8: { code: 0x09, bytes: 1, array: Int8Array },
  int16: { code: 0x0b, bytes: 2, array: Int16Array },
  int32: { code: 0x0c, bytes: 4, array: Int32Array },
  float32: { code: 0x0d, bytes: 4, array: Float32Array },
  float64: { code: 0x0e, bytes: 8, array: Float64Array },
};

/**
 * The type code as it appears in the third byte of the magic number: `idxTypeCode('uint8') === 0x08`.
 * @throws TypeError for a name that is not an {@link IdxType}
 */
export function idxTypeCode(type: IdxType): number {
  const entry = IDX_TYPES[type];
  if (!entry) throw new TypeError(`idxTypeCode: expected one of ${Object.keys(IDX_TYPES).join(', ')}, found ${type}`);
  return entry.code;
}

/** The {@link IdxType} of a type code, or `undefined` when the code is not one of the six. @internal */
export function idxTypeOfCode(code: number): IdxType | undefined {
  for (const type of Object.keys(IDX_TYPES) as IdxType[]) if (IDX_TYPES[type].code === code) return type;
  return undefined;
}

/** `0x08`-style hexadecimal, as the IDX documentation writes type codes. @internal */
export function hex(byte: number): string {
  return `0x${byte.toString(16).toUpperCase().padStart(2, '0')}`;
}
