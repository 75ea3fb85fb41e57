import { gzipSync } from 'node:zlib';
import { describe, expect, it, vi } from 'vitest';
import { decodeIdx } from './decode-idx.js';
import { encodeIdx } from './encode-idx.js';
import { gunzip, isGzip } from './gunzip.js';
import { IdxFormatError } from './idx-format-error.js';

const sample = encodeIdx({ type: 'int32', dims: [3, 2], data: Int32Array.of(1, -2, 3, -4, 5, 2 ** 30) });

/**
 * Runs `body` while recording the largest `new Uint8Array(length)` made through the global constructor (typed arrays
 * made inside Node.js, such as the decompressor's chunks, do not go through it).
 */
async function largestAllocation(body: () => Promise<unknown>): Promise<number> {
  let largest = 0;
  const spy = new Proxy(Uint8Array, {
    construct(target, args, newTarget) {
      if (typeof args[0] === 'number') largest = Math.max(largest, args[0]);
      return Reflect.construct(target, args, newTarget);
    },
  });
  vi.stubGlobal('Uint8Array', spy);
  try {
    await body();
  } finally {
    vi.unstubAllGlobals();
  }
  return largest;
}

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

  it('stops once the output passes maxBytes', async () => {
    // 16 MiB of zeros compress to 16 KiB: a small "gzip bomb".
    const zeros = new Uint8Array(16 * 1024 * 1024);
    const error = await gunzip(gzipSync(zeros), { name: 'bomb.gz', maxBytes: 1 << 20 }).catch((e) => e);
    expect(error).toBeInstanceOf(IdxFormatError);
    expect(error.message).toBe(
      'bomb.gz: expected at most 1048576 bytes once decompressed (maxBytes), found more than 1048576 bytes; raise maxBytes if the file is genuine',
    );
    // Behind an honest header that promises 1 byte, the same bomb is cut off at the cap too.
    zeros.set([0, 0, 8, 1, 0, 0, 0, 1]);
    await expect(decodeIdx(gzipSync(zeros), { name: 'bomb.gz', maxBytes: 1 << 20 })).rejects.toThrow(
      'bomb.gz: expected at most 1048576 bytes once decompressed (maxBytes), found more',
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
    let error: unknown;
    const largest = await largestAllocation(async () => {
      error = await decodeIdx(liar, { name: 'liar.gz' }).catch((e) => e);
    });
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
