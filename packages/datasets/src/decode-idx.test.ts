import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeIdx } from './decode-idx.js';
import { encodeIdx } from './encode-idx.js';
import { gunzip, isGzip } from './gunzip.js';
import { IdxFormatError } from './idx-format-error.js';
import {
  expectIdxFormatError,
  expectPaidFor,
  idxMutations,
  mutateAll,
  mutatedGzipIdx,
  PROPERTY_TIMEOUT,
  propertyRuns,
  validIdxFile,
  zlibGunzip,
} from './idx-mutations.test-helper.js';
import {
  CHUNK_SLACK,
  expectInflatedWithinPromise,
  meterInflation,
  PREFIX_BYTES,
} from './inflation-meter.test-helper.js';
import { DEFAULT_MAX_BYTES } from './max-bytes.js';
import { type IdxData, parseIdx } from './parse-idx.js';

const sample = encodeIdx({ type: 'int32', dims: [3, 2], data: Int32Array.of(1, -2, 3, -4, 5, 2 ** 30) });

describe('decodeIdx', () => {
  it('decodes raw and gzipped bytes alike, detecting gzip by content', async () => {
    const raw = await decodeIdx(sample, { name: 'sample.gz' }); // a misleading name changes nothing
    const zipped = await decodeIdx(gzipSync(sample), { name: 'sample' });
    expect(zipped.dims).toEqual([3, 2]);
    expect(Array.from(zipped.data)).toEqual(Array.from(raw.data));
    expect(isGzip(gzipSync(sample))).toBe(true);
    expect(isGzip(sample)).toBe(false);
  });

  it('decompresses a multi-megabyte file in chunks', async () => {
    const data = new Uint8Array(3_000_000);
    for (let i = 0; i < data.length; i++) data[i] = (i * 7919) % 251;
    const bytes = gzipSync(encodeIdx({ type: 'uint8', dims: [3000, 1000], data }));
    const idx = await decodeIdx(bytes);
    expect(idx.dims).toEqual([3000, 1000]);
    expect(idx.type === 'uint8' && Buffer.compare(idx.data, data)).toBe(0);
  });

  it('gunzip stops once the output passes maxBytes', async () => {
    // 16 MiB of zeros compress to 16 KiB: a small "gzip bomb".
    const zeros = new Uint8Array(16 * 1024 * 1024);
    const error = await gunzip(gzipSync(zeros), { name: 'bomb.gz', maxBytes: 1 << 20 }).catch((e) => e);
    expect(error).toBeInstanceOf(IdxFormatError);
    expect(error.message).toBe(
      'bomb.gz: expected at most 1048576 bytes once decompressed (maxBytes), found more than 1048576 bytes; raise maxBytes if the file is genuine',
    );
  });

  it('inflates gzip no further than the header promises, however far the data goes on', async () => {
    // An honest header promising one byte, then 16 MiB of zeros: 16 KiB of gzip, well under the 256 MiB maxBytes.
    const content = new Uint8Array(9 + 16 * 1024 * 1024);
    content.set([0, 0, 8, 1, 0, 0, 0, 1, 42]);
    const bomb = gzipSync(content);
    const { outcome, streams, largestAllocation } = await meterInflation(() => decodeIdx(bomb, { name: 'bomb.gz' }));
    for (const stream of streams) expect(stream.delivered).toBeLessThanOrEqual(PREFIX_BYTES + CHUNK_SLACK);
    expect(largestAllocation).toBeLessThanOrEqual(PREFIX_BYTES);
    expect(outcome.status).toBe('rejected');
    const error = (outcome as PromiseRejectedResult).reason;
    expect(error).toBeInstanceOf(IdxFormatError);
    // The raw file's trailing bytes are rejected too: a gzipped file is held to the same size.
    expect(error.message).toBe(
      'bomb.gz: expected 9 bytes in all (8-byte header and 1 byte of 1 unsigned bytes), found more than 9 bytes once decompressed',
    );
    // Without the gzip, the raw file's own error.
    expect(() => parseIdx(content, { name: 'bomb' })).toThrow(
      `bomb: expected 9 bytes in all (8-byte header and 1 byte of 1 unsigned bytes), found ${content.length}, with ${content.length - 9} trailing bytes`,
    );
  });

  it('refuses a maxBytes that would lift the cap, for raw and gzipped input alike', async () => {
    for (const input of [sample, gzipSync(sample)]) {
      await expect(decodeIdx(input, { maxBytes: Number.NaN })).rejects.toThrow(
        new RangeError('decodeIdx: maxBytes must be a non-negative integer, found NaN'),
      );
    }
    await expect(gunzip(gzipSync(sample), { maxBytes: -1 })).rejects.toThrow(
      new RangeError('gunzip: maxBytes must be a non-negative integer, found -1'),
    );
  });

  it('checks the header of gzipped data before allocating for the data', async () => {
    // A header promising 2³²−1 × 2³²−1 doubles, and nothing behind it.
    const header = Uint8Array.of(0, 0, 0x0e, 2, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff);
    await expect(decodeIdx(gzipSync(header), { name: 'huge.gz' })).rejects.toThrow(
      `huge.gz: expected at most 268435456 bytes once decompressed (maxBytes), found a header promising 4294967295×4294967295 doubles (${(2n ** 32n - 1n) ** 2n * 8n} bytes of data after the 12-byte header)`,
    );
    await expect(decodeIdx(gzipSync(Uint8Array.of(0, 0, 8, 2, 0, 0)), { name: 'cut.gz' })).rejects.toThrow(
      'cut.gz: expected a 12-byte header (magic number and 2 dimension sizes), found 6 bytes in all',
    );
    await expect(decodeIdx(gzipSync(Uint8Array.of(1, 2, 3, 4, 5)), { name: 'other.gz' })).rejects.toThrow(
      'other.gz: expected an IDX magic number starting 0x00 0x00, found 0x01 0x02 0x03 0x04',
    );
  });

  it('accepts output of exactly maxBytes', async () => {
    await expect(gunzip(gzipSync(sample), { maxBytes: sample.length })).resolves.toEqual(sample);
  });

  it('grows its buffer when the gzip trailer understates the size', async () => {
    const zipped = gzipSync(sample);
    zipped.set([1, 0, 0, 0], zipped.length - 4); // ISIZE says 1 byte; the data is longer
    await expect(gunzip(zipped)).rejects.toThrow(IdxFormatError); // zlib checks ISIZE itself …
    const large = new Uint8Array(200_000).fill(3);
    const multi = new Uint8Array([...gzipSync(large), ...gzipSync(Uint8Array.of(9))]); // … but a last member is small
    const out = await gunzip(multi);
    expect(out.length).toBe(200_001);
    expect(out[200_000]).toBe(9);
  });

  it("decodes multi-member gzip, whose trailer gives only the last member's size", async () => {
    const data = Uint8Array.from({ length: 5000 }, (_, i) => i % 251);
    const file = encodeIdx({ type: 'uint8', dims: [5000], data });
    // `cat a.gz b.gz`: the last member holds one byte, so the trailer's ISIZE is 1 while the header pass needs 8.
    const multi = new Uint8Array([...gzipSync(file.subarray(0, file.length - 1)), ...gzipSync(file.subarray(-1))]);
    const idx = await decodeIdx(multi, { name: 'multi.gz' });
    expect(idx.dims).toEqual([5000]);
    expect(idx.type === 'uint8' && Buffer.compare(idx.data, data)).toBe(0);
    // Three members, the header itself split across the first two.
    const three = new Uint8Array([
      ...gzipSync(file.subarray(0, 3)),
      ...gzipSync(file.subarray(3, 2000)),
      ...gzipSync(file.subarray(2000)),
    ]);
    expect(Array.from((await decodeIdx(three)).data)).toEqual(Array.from(data));
  });

  it('sizes the output by what the compressed input can inflate to, not by what the header claims', async () => {
    // A header promising MNIST's 60000 training images (47 MB), and nothing behind it: a few dozen bytes of gzip.
    const liar = gzipSync(Uint8Array.of(0, 0, 8, 3, 0, 0, 0xea, 0x60, 0, 0, 0, 28, 0, 0, 0, 28));
    expect(liar.length).toBeLessThan(40);
    const { outcome, largestAllocation: largest } = await meterInflation(() => decodeIdx(liar, { name: 'liar.gz' }));
    const error = outcome.status === 'rejected' ? outcome.reason : undefined;
    expect(error).toBeInstanceOf(IdxFormatError);
    expect((error as Error).message).toBe(
      'liar.gz: expected 60000×28×28 unsigned bytes (47040000 bytes of data after the 16-byte header), found 0 bytes',
    );
    expect(largest).toBeLessThanOrEqual(liar.length * 1032);
  });

  it('reports corrupt and truncated gzip as IdxFormatError', async () => {
    const zipped = gzipSync(sample);
    const corrupt = zipped.slice();
    corrupt[12] ^= 0xff;
    corrupt[13] ^= 0xff;
    const error = await decodeIdx(corrupt, { name: 'corrupt.gz' }).catch((e) => e);
    expect(error).toBeInstanceOf(IdxFormatError);
    expect(error.message).toMatch(/^corrupt\.gz: expected valid gzip data, found a decompression error/);
    await expect(decodeIdx(zipped.subarray(0, zipped.length - 10), { name: 'cut.gz' })).rejects.toThrow(
      /^cut\.gz: expected valid gzip data/,
    );
  });

  it('validates the decompressed IDX content', async () => {
    await expect(decodeIdx(gzipSync(sample.subarray(0, sample.length - 1)), { name: 'short.gz' })).rejects.toThrow(
      /^short\.gz: expected 3×2 ints/,
    );
  });
});

/** `parseIdx`'s verdict on raw bytes: the result, or the IdxFormatError it throws (anything else fails the test). */
function parsed(bytes: Uint8Array, name: string): IdxData | IdxFormatError {
  try {
    return parseIdx(bytes, { name });
  } catch (error) {
    expectIdxFormatError(error, name);
    return error as IdxFormatError;
  }
}

/** Two results hold the same type, dimensions and value bytes. */
function expectSameIdx(found: IdxData, expected: IdxData): void {
  expect(found.type).toBe(expected.type);
  expect(found.dims).toEqual(expected.dims);
  const bytes = (idx: IdxData) => new Uint8Array(idx.data.buffer, idx.data.byteOffset, idx.data.byteLength);
  expect(Buffer.compare(bytes(found), bytes(expected))).toBe(0);
}

describe('decodeIdx on random damage (fast-check)', () => {
  it('decodes a damaged raw file as parseIdx does', async () => {
    await fc.assert(
      fc.asyncProperty(validIdxFile, idxMutations, async (original, mutations) => {
        const file = mutateAll(original, mutations);
        const expected = parsed(file, 'damaged.idx');
        const found = await decodeIdx(file, { name: 'damaged.idx' }).catch((error) => error);
        if (expected instanceof IdxFormatError) {
          // A damaged magic number may read as gzip (1F 8B), which decodeIdx then tries to inflate.
          expectIdxFormatError(found, 'damaged.idx');
        } else {
          expectSameIdx(found, expected);
          expectPaidFor(file, found);
        }
      }),
      propertyRuns(500),
    );
  });

  it(
    'decodes damaged gzip as the file zlib inflates it to, inflating no further than its header promises',
    async () => {
      await fc.assert(
        fc.asyncProperty(mutatedGzipIdx, fc.constantFrom(256 * 1024, DEFAULT_MAX_BYTES), async ({ file }, maxBytes) => {
          const { outcome, streams, largestAllocation } = await meterInflation(() =>
            decodeIdx(file, { name: 'damaged.gz', maxBytes }),
          );
          if (!isGzip(file)) {
            // Cut or edited until it no longer starts with the gzip magic number: read as raw, with nothing inflated.
            expect(streams).toHaveLength(0);
            const expected = parsed(file, 'damaged.gz');
            if (expected instanceof IdxFormatError) expect(outcome.status).toBe('rejected');
            else expectSameIdx((outcome as PromiseFulfilledResult<IdxData>).value, expected);
            return;
          }
          // Memory: the decompressor's output and the buffers that hold it stay within the header's promise.
          const promised = expectInflatedWithinPromise(streams, maxBytes);
          expect(largestAllocation).toBeLessThanOrEqual(Math.max(PREFIX_BYTES, promised));

          // Outcome: what parseIdx makes of zlib's output, unless that output is invalid gzip or larger than maxBytes.
          const inflated = zlibGunzip(file);
          const expected = inflated === undefined ? undefined : parsed(inflated, 'damaged.gz');
          if (outcome.status === 'fulfilled') {
            expect(expected).toBeDefined();
            expect(expected).not.toBeInstanceOf(IdxFormatError);
            expectSameIdx(outcome.value, expected as IdxData);
            expectPaidFor(inflated as Uint8Array, outcome.value);
          } else {
            expectIdxFormatError(outcome.reason, 'damaged.gz');
            const acceptable = expected !== undefined && !(expected instanceof IdxFormatError);
            if (acceptable) expect((inflated as Uint8Array).length).toBeGreaterThan(maxBytes);
          }
        }),
        propertyRuns(200),
      );
    },
    PROPERTY_TIMEOUT,
  );
});
