import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeIdx } from './encode-idx.js';
import { IdxFormatError } from './idx-format-error.js';
import {
  expectIdxFormatError,
  expectPaidFor,
  idxMutations,
  mutateAll,
  propertyRuns,
  validIdxFile,
} from './idx-mutations.test-helper.js';
import { IDX_TYPES, idxTypeCode } from './idx-type.js';
import { type IdxData, parseIdx } from './parse-idx.js';

/** An IDX header: magic number `00 00 type rank`, then each size as a big-endian uint32. */
function header(type: number, dims: number[]): number[] {
  const bytes = [0, 0, type, dims.length];
  for (const d of dims) bytes.push((d >>> 24) & 0xff, (d >>> 16) & 0xff, (d >>> 8) & 0xff, d & 0xff);
  return bytes;
}

function failure(bytes: number[] | Uint8Array, name = 'fixture.idx'): IdxFormatError {
  try {
    parseIdx(Uint8Array.from(bytes), { name });
  } catch (error) {
    expect(error).toBeInstanceOf(IdxFormatError);
    return error as IdxFormatError;
  }
  throw new Error('expected parseIdx to throw');
}

describe('parseIdx', () => {
  it('decodes a hand-built unsigned-byte file', () => {
    const idx = parseIdx(Uint8Array.from([...header(0x08, [2, 3]), 0, 1, 2, 253, 254, 255]));
    expect(idx.type).toBe('uint8');
    expect(idx.dims).toEqual([2, 3]);
    expect(Array.from(idx.data)).toEqual([0, 1, 2, 253, 254, 255]);
  });

  it('reads multi-byte values big-endian', () => {
    expect(Array.from(parseIdx(Uint8Array.from([...header(0x0b, [2]), 0x01, 0x02, 0xff, 0xfe])).data)).toEqual([
      258, -2,
    ]);
    expect(Array.from(parseIdx(Uint8Array.from([...header(0x0c, [1]), 0x01, 0x02, 0x03, 0x04])).data)).toEqual([
      0x01020304,
    ]);
    // 1.5 is 0x3FC00000 as a float and 0x3FF8000000000000 as a double.
    expect(Array.from(parseIdx(Uint8Array.from([...header(0x0d, [1]), 0x3f, 0xc0, 0, 0])).data)).toEqual([1.5]);
    expect(Array.from(parseIdx(Uint8Array.from([...header(0x0e, [1]), 0x3f, 0xf8, 0, 0, 0, 0, 0, 0])).data)).toEqual([
      1.5,
    ]);
    expect(Array.from(parseIdx(Uint8Array.from([...header(0x09, [2]), 0x80, 0x7f])).data)).toEqual([-128, 127]);
  });

  const samples: IdxData[] = [
    { type: 'uint8', dims: [2, 2], data: Uint8Array.of(0, 1, 128, 255) },
    { type: 'int8', dims: [4], data: Int8Array.of(-128, -1, 0, 127) },
    { type: 'int16', dims: [2, 1, 2], data: Int16Array.of(-32768, -1, 1, 32767) },
    { type: 'int32', dims: [1, 4], data: Int32Array.of(-(2 ** 31), -1, 1, 2 ** 31 - 1) },
    { type: 'float32', dims: [2, 3], data: Float32Array.of(-0, 1.5, -3.25e-20, 3.4e38, Infinity, -Infinity) },
    { type: 'float64', dims: [3], data: Float64Array.of(Math.PI, -Number.MAX_VALUE, Number.MIN_VALUE) },
  ];
  for (const sample of samples) {
    it(`round-trips ${sample.type} (type code 0x${idxTypeCode(sample.type).toString(16)}) through encodeIdx`, () => {
      const bytes = encodeIdx(sample);
      expect(bytes[2]).toBe(idxTypeCode(sample.type));
      expect(bytes[3]).toBe(sample.dims.length);
      const back = parseIdx(bytes);
      expect(back.type).toBe(sample.type);
      expect(back.dims).toEqual(sample.dims);
      expect(back.data).toBeInstanceOf(sample.data.constructor);
      expect(Array.from(back.data)).toEqual(Array.from(sample.data));
      // Bit-level equality too: -0 stays -0.
      for (let i = 0; i < sample.data.length; i++) expect(Object.is(back.data[i], sample.data[i])).toBe(true);
    });
  }

  it('handles any rank, including empty dimensions', () => {
    const dims = [1, 2, 1, 3, 1, 2];
    const data = Int16Array.from({ length: 12 }, (_, i) => i * 1000 - 6000);
    expect(parseIdx(encodeIdx({ type: 'int16', dims, data })).dims).toEqual(dims);
    const empty = parseIdx(encodeIdx({ type: 'float64', dims: [0, 5], data: new Float64Array(0) }));
    expect(empty.dims).toEqual([0, 5]);
    expect(empty.data.length).toBe(0);
    const wide = new Array(255).fill(1);
    expect(parseIdx(encodeIdx({ type: 'uint8', dims: wide, data: Uint8Array.of(7) })).dims).toHaveLength(255);
  });

  it('returns byte data as a view over the input unless copy is set, and accepts an ArrayBuffer', () => {
    const bytes = Uint8Array.from([...header(0x08, [3]), 7, 8, 9]);
    const view = parseIdx(bytes);
    expect(view.data.buffer).toBe(bytes.buffer);
    const copy = parseIdx(bytes, { copy: true });
    expect(copy.data.buffer).not.toBe(bytes.buffer);
    expect(Array.from(copy.data)).toEqual([7, 8, 9]);
    expect(Array.from(parseIdx(bytes.buffer).data)).toEqual([7, 8, 9]);
    // A view into the middle of a larger buffer works too.
    const padded = new Uint8Array(bytes.length + 6);
    padded.set(bytes, 3);
    expect(Array.from(parseIdx(padded.subarray(3, 3 + bytes.length)).data)).toEqual([7, 8, 9]);
  });
});

describe('parseIdx errors', () => {
  it('rejects input shorter than the magic number', () => {
    const e = failure([0, 0, 8]);
    expect(e.message).toBe('fixture.idx: expected a 4-byte magic number, found 3 bytes in all');
    expect(e.file).toBe('fixture.idx');
  });

  it('rejects a magic number that does not start with two zero bytes', () => {
    expect(failure([0x50, 0x4b, 3, 4]).message).toBe(
      'fixture.idx: expected an IDX magic number starting 0x00 0x00, found 0x50 0x4B 0x03 0x04',
    );
  });

  it('recognises gzip and points to decodeIdx', () => {
    expect(failure([0x1f, 0x8b, 8, 0, 0, 0]).message).toMatch(/found gzip data \(0x1F 0x8B\).*decodeIdx/);
  });

  it('rejects an unknown type code', () => {
    const e = failure([0, 0, 0x0a, 1, 0, 0, 0, 0]);
    expect(e.expected).toMatch(/0x08 \(unsigned byte\).*0x0E \(double\)/);
    expect(e.found).toBe('0x0A');
  });

  it('rejects zero dimensions', () => {
    expect(failure([0, 0, 8, 0]).message).toBe(
      'fixture.idx: expected at least 1 dimension in the magic number, found 0',
    );
  });

  it('rejects a header cut short', () => {
    expect(failure([0, 0, 8, 3, 0, 0, 0, 1, 0, 0]).message).toBe(
      'fixture.idx: expected a 16-byte header (magic number and 3 dimension sizes), found 10 bytes in all',
    );
  });

  it('rejects fewer data bytes than the header promises', () => {
    expect(failure([...header(0x0b, [2, 3]), 0, 1, 0, 2]).message).toBe(
      'fixture.idx: expected 2×3 shorts (12 bytes of data after the 12-byte header), found 4 bytes',
    );
  });

  it('computes huge promised sizes without overflow and without allocating them', () => {
    const dims = [0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff];
    const e = failure([...header(0x0e, dims), 1, 2, 3]);
    // (2³² − 1)⁴ · 8 bytes, exactly.
    const exact = (2n ** 32n - 1n) ** 4n * 8n;
    expect(e.message).toBe(
      `fixture.idx: expected 4294967295×4294967295×4294967295×4294967295 doubles (${exact} bytes of data after the 20-byte header), found 3 bytes`,
    );
  });

  it('gives the exact size of a product just past 2⁵³, and compares one just below it exactly', () => {
    // (2²⁶ + 1)(2²⁷ + 1) = 2⁵³ + 2²⁷ + 2²⁶ + 1 is odd and past 2⁵³, where doubles hold only even integers: a product
    // in doubles would say …584. The message gives the exact count.
    expect(failure([...header(0x08, [2 ** 26 + 1, 2 ** 27 + 1])]).message).toBe(
      'fixture.idx: expected 67108865×134217729 unsigned bytes (9007199456067585 bytes of data after the 12-byte header), found 0 bytes',
    );
    // Just below 2⁵³ the count is still exact, and as a size it is compared with the bytes present.
    expect(failure([...header(0x08, [2 ** 26, 2 ** 27 - 1]), 1]).message).toBe(
      'fixture.idx: expected 67108864×134217727 unsigned bytes (9007199187632128 bytes of data after the 12-byte header), found 1 byte',
    );
  });

  it('rejects trailing bytes', () => {
    expect(failure([...header(0x08, [2]), 1, 2, 3, 4]).message).toBe(
      'fixture.idx: expected 10 bytes in all (8-byte header and 2 bytes of 2 unsigned bytes), found 12, with 2 trailing bytes',
    );
  });

  it('names the data when no file name is given', () => {
    expect(() => parseIdx(Uint8Array.of(1))).toThrow(/^IDX data: /);
  });
});

describe('parseIdx on random files (fast-check)', () => {
  it('decodes every valid file to the values its bytes hold', () => {
    fc.assert(
      fc.property(validIdxFile, (file) => {
        const idx = parseIdx(file, { name: 'valid.idx' });
        expectPaidFor(file, idx);
        // Writing the values back gives the same bytes, but for NaNs, whose payload a float64 round trip may change.
        const again = encodeIdx(idx);
        const size = IDX_TYPES[idx.type].bytes;
        const offset = 4 + 4 * idx.dims.length;
        expect(again.subarray(0, offset)).toEqual(file.subarray(0, offset));
        const differing: number[] = [];
        for (let i = 0; i < idx.data.length; i++) {
          const at = offset + i * size;
          const same = again.subarray(at, at + size).every((b, k) => b === file[at + k]);
          if (!same && !Number.isNaN(idx.data[i])) differing.push(i);
        }
        expect(differing).toEqual([]);
      }),
      propertyRuns(500),
    );
  });

  it('gives a damaged file a result that its bytes pay for, or an IdxFormatError', () => {
    fc.assert(
      fc.property(validIdxFile, idxMutations, (original, mutations) => {
        const file = mutateAll(original, mutations);
        let idx: IdxData;
        try {
          idx = parseIdx(file, { name: 'damaged.idx' });
        } catch (error) {
          expectIdxFormatError(error, 'damaged.idx');
          return;
        }
        expectPaidFor(file, idx);
      }),
      propertyRuns(2000),
    );
  });
});

describe('encodeIdx errors', () => {
  it('rejects an array of the wrong kind', () => {
    expect(() => encodeIdx({ type: 'int16', dims: [2], data: Int32Array.of(1, 2) } as unknown as IdxData)).toThrow(
      "encodeIdx: type 'int16' needs a Int16Array, found Int32Array",
    );
  });

  it('rejects dimensions that do not match the data', () => {
    expect(() => encodeIdx({ type: 'uint8', dims: [2, 2], data: new Uint8Array(3) })).toThrow(
      'encodeIdx: dimensions [2, 2] hold 4 values but data has 3',
    );
    expect(() => encodeIdx({ type: 'uint8', dims: [], data: new Uint8Array(1) })).toThrow(
      /1 to 255 dimensions, found 0/,
    );
    expect(() => encodeIdx({ type: 'uint8', dims: [-1], data: new Uint8Array(0) })).toThrow(/integers in \[0, 2\^32\)/);
    expect(() => encodeIdx({ type: 'bits', dims: [1], data: new Uint8Array(1) } as unknown as IdxData)).toThrow(
      /type must be one of/,
    );
  });
});
