import { gunzipSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { expect } from 'vitest';
import { IdxFormatError } from './idx-format-error.js';
import { IDX_TYPES, type IdxType } from './idx-type.js';
import type { IdxData } from './parse-idx.js';

/**
 * fast-check runs of the IDX properties: a fixed seed, so a failure found once is found again (fast-check also prints
 * the seed and the shrunk counterexample), and a count that keeps each property to a few seconds. Test-only.
 * @internal
 */
export function propertyRuns(numRuns: number): { seed: number; numRuns: number } {
  return { seed: 13, numRuns };
}

/**
 * How long a property's test may take before vitest calls it hung: far above the few seconds the runs take, so a
 * machine shared with other work does not fail them, while a run that hangs still fails. Not a speed check. @internal
 */
export const PROPERTY_TIMEOUT = 60_000;

/** Header values that find edges: no data, one value, the largest signed and unsigned 32-bit sizes. @internal */
export const EXTREME_SIZES = [0, 1, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1] as const;

/**
 * A valid IDX file: any of the six types, 1 to 3 dimensions of 0 to 5, and random bytes as values (every byte
 * pattern is a value of every type, NaNs included). Test-only. @internal
 */
export const validIdxFile: fc.Arbitrary<Uint8Array> = fc
  .record({
    type: fc.constantFrom(...(Object.keys(IDX_TYPES) as IdxType[])),
    dims: fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 3 }),
  })
  .chain(({ type, dims }) => {
    const length = dims.reduce((product, d) => product * d, 1) * IDX_TYPES[type].bytes;
    return fc.uint8Array({ minLength: length, maxLength: length }).map((values) => {
      const file = new Uint8Array(4 + 4 * dims.length + length);
      const view = new DataView(file.buffer);
      file[2] = IDX_TYPES[type].code;
      file[3] = dims.length;
      for (let d = 0; d < dims.length; d++) view.setUint32(4 + 4 * d, dims[d]); // big-endian
      file.set(values, 4 + 4 * dims.length);
      return file;
    });
  });

/**
 * One change to a file's bytes. Positions are any natural number, taken modulo the length they apply to, so that a
 * shrunk counterexample stays readable. Test-only. @internal
 */
export type Mutation =
  | { kind: 'flip'; at: number; mask: number }
  | { kind: 'insert'; at: number; bytes: number[] }
  | { kind: 'delete'; at: number; count: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'append'; count: number; fill: number }
  | { kind: 'dimension'; index: number; size: number }
  | { kind: 'typeCode'; code: number }
  | { kind: 'rank'; rank: number };

const byte = fc.integer({ min: 0, max: 255 });

/** Random edits anywhere in a file: flipped, inserted, deleted or cut-off bytes. Test-only. @internal */
export const byteMutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), mask: fc.integer({ min: 1, max: 255 }) }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    bytes: fc.array(byte, { minLength: 1, maxLength: 8 }),
  }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), count: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
);

/**
 * Edits of an IDX header's fields: a dimension size set to an extreme or any 32-bit value, any type code, any
 * dimension count; or bytes appended after the data. Test-only. @internal
 */
export const headerMutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({
    kind: fc.constant('dimension' as const),
    index: fc.nat(),
    size: fc.oneof(fc.constantFrom(...EXTREME_SIZES), fc.integer({ min: 0, max: 2 ** 32 - 1 })),
  }),
  fc.record({
    kind: fc.constant('typeCode' as const),
    code: fc.oneof(fc.constantFrom(...Object.values(IDX_TYPES).map((t) => t.code)), byte),
  }),
  fc.record({ kind: fc.constant('rank' as const), rank: fc.oneof(fc.constantFrom(0, 1, 3, 255), byte) }),
  fc.record({ kind: fc.constant('append' as const), count: fc.integer({ min: 1, max: 64 }), fill: byte }),
);

/** One to three byte or header edits. Test-only. @internal */
export const idxMutations: fc.Arbitrary<Mutation[]> = fc.array(fc.oneof(byteMutation, headerMutation), {
  minLength: 1,
  maxLength: 3,
});

/** `bytes` with `mutation` applied (a new array; `bytes` is left alone). Test-only. @internal */
export function mutate(bytes: Uint8Array, mutation: Mutation): Uint8Array {
  const n = bytes.length;
  switch (mutation.kind) {
    case 'flip': {
      if (n === 0) return bytes.slice();
      const out = bytes.slice();
      out[mutation.at % n] ^= mutation.mask;
      return out;
    }
    case 'insert': {
      const at = mutation.at % (n + 1);
      return Uint8Array.from([...bytes.subarray(0, at), ...mutation.bytes, ...bytes.subarray(at)]);
    }
    case 'delete': {
      const at = mutation.at % (n + 1);
      return Uint8Array.from([...bytes.subarray(0, at), ...bytes.subarray(at + mutation.count)]);
    }
    case 'truncate':
      return bytes.slice(0, mutation.at % (n + 1));
    case 'append': {
      const out = new Uint8Array(n + mutation.count).fill(mutation.fill);
      out.set(bytes);
      return out;
    }
    case 'dimension': {
      const rank = n >= 4 ? bytes[3] : 0;
      const at = 4 + 4 * (mutation.index % Math.max(rank, 1));
      const out = bytes.slice();
      if (at + 4 <= n) new DataView(out.buffer).setUint32(at, mutation.size);
      return out;
    }
    case 'typeCode': {
      const out = bytes.slice();
      if (n > 2) out[2] = mutation.code;
      return out;
    }
    case 'rank': {
      const out = bytes.slice();
      if (n > 3) out[3] = mutation.rank;
      return out;
    }
  }
}

/** `bytes` with every mutation applied in order. Test-only. @internal */
export function mutateAll(bytes: Uint8Array, mutations: readonly Mutation[]): Uint8Array {
  return mutations.reduce(mutate, bytes);
}

/** A change to gzip data: a byte edit, a damaged trailer (CRC-32 or ISIZE), or a second member. Test-only. @internal */
export type GzipMutation =
  | Mutation
  | { kind: 'trailer'; field: 'crc' | 'isize'; mask: number }
  | { kind: 'member'; zeros: number };

/**
 * Edits of a gzip stream: byte edits anywhere (the header, the deflate blocks, the trailer), a flipped CRC-32 or
 * ISIZE, or a second member of up to 512 KiB of zeros appended (a small bomb: 500 bytes of gzip). Test-only. @internal
 */
export const gzipMutations: fc.Arbitrary<GzipMutation[]> = fc.array(
  fc.oneof(
    byteMutation,
    fc.record({
      kind: fc.constant('trailer' as const),
      field: fc.constantFrom('crc' as const, 'isize' as const),
      mask: fc.integer({ min: 1, max: 255 }),
    }),
    fc.record({ kind: fc.constant('member' as const), zeros: fc.integer({ min: 0, max: 512 * 1024 }) }),
  ),
  { minLength: 0, maxLength: 2 },
);

/** `zipped` with `mutation` applied (a new array). Test-only. @internal */
export function mutateGzip(zipped: Uint8Array, mutation: GzipMutation): Uint8Array {
  switch (mutation.kind) {
    case 'trailer': {
      const out = zipped.slice();
      const at = out.length - (mutation.field === 'crc' ? 8 : 4);
      if (at >= 0) out[at] ^= mutation.mask;
      return out;
    }
    case 'member': {
      const member = gzipSync(new Uint8Array(mutation.zeros));
      const out = new Uint8Array(zipped.length + member.length);
      out.set(zipped);
      out.set(member, zipped.length);
      return out;
    }
    default:
      return mutate(zipped, mutation);
  }
}

/**
 * A gzipped IDX file, possibly damaged twice: its content edited before compression (header fields, trailing bytes,
 * up to 512 KiB of trailing zeros behind a valid header), then its gzip stream edited. Test-only. @internal
 */
export const mutatedGzipIdx: fc.Arbitrary<{
  content: Mutation[];
  zeros: number;
  level: number;
  stream: GzipMutation[];
  file: Uint8Array;
}> = fc
  .record({
    original: validIdxFile,
    content: fc.array(fc.oneof(byteMutation, headerMutation), { maxLength: 2 }),
    zeros: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 512 * 1024 })),
    level: fc.integer({ min: 0, max: 9 }),
    stream: gzipMutations,
  })
  .map(({ original, content, zeros, level, stream }) => {
    const edited = mutateAll(original, content);
    const withZeros = new Uint8Array(edited.length + zeros);
    withZeros.set(edited);
    const file = stream.reduce(mutateGzip, new Uint8Array(gzipSync(withZeros, { level })));
    return { content, zeros, level, stream, file };
  });

/** What zlib's own gunzip makes of `bytes`: the output, or `undefined` when zlib rejects them. Test-only. @internal */
export function zlibGunzip(bytes: Uint8Array): Uint8Array | undefined {
  try {
    return new Uint8Array(gunzipSync(bytes));
  } catch {
    return undefined;
  }
}

/**
 * Checks that a decoded IDX result is exactly what its raw file holds and no more: as many dimensions as the magic
 * number says, as many values as they multiply to, in the typed array of the type, and a header plus data that add
 * up to the file's length (so the size the header promises is paid for by the input's bytes). Test-only. @internal
 */
export function expectPaidFor(file: Uint8Array, idx: IdxData): void {
  const count = idx.dims.reduce((product, d) => product * d, 1);
  expect(idx.dims.length).toBe(file[3]);
  expect(idx.data).toBeInstanceOf(IDX_TYPES[idx.type].array);
  expect(idx.data.length).toBe(count);
  expect(4 + 4 * idx.dims.length + count * IDX_TYPES[idx.type].bytes).toBe(file.length);
}

/**
 * Checks that `error` is an {@link IdxFormatError} for `name` whose message says what was expected and found.
 * Test-only. @internal
 */
export function expectIdxFormatError(error: unknown, name: string): void {
  expect(error).toBeInstanceOf(IdxFormatError);
  const { file, expected, found, message } = error as IdxFormatError;
  expect(file).toBe(name);
  expect(expected.length * found.length).toBeGreaterThan(0);
  expect(message).toBe(`${name}: expected ${expected}, found ${found}`);
}
