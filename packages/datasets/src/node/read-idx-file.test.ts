import { execFileSync } from 'node:child_process';
import { constants, existsSync, type Stats } from 'node:fs';
import { type FileHandle, mkdir, mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { decodeIdx } from '../decode-idx.js';
import { encodeIdx } from '../encode-idx.js';
import { isGzip } from '../gunzip.js';
import { IdxFormatError } from '../idx-format-error.js';
import {
  expectIdxFormatError,
  expectPaidFor,
  idxMutations,
  mutateAll,
  mutatedGzipIdx,
  PROPERTY_TIMEOUT,
  propertyRuns,
  validIdxFile,
} from '../idx-mutations.test-helper.js';
import { expectInflatedWithinPromise, meterInflation } from '../inflation-meter.test-helper.js';
import type { IdxData } from '../parse-idx.js';
import { readIdxFile } from './read-idx-file.js';

/** The prototype every `FileHandle` shares, to watch what readIdxFile does with its handle. */
async function fileHandlePrototype(dir: string): Promise<FileHandle> {
  const handle = await open(join(dir, 'probe'), 'w');
  await handle.close();
  await rm(join(dir, 'probe'));
  return Object.getPrototypeOf(handle);
}

describe('readIdxFile', () => {
  let dir: string;
  let keepers: FileHandle[];

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'datasets-read-'));
    keepers = [];
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    for (const keeper of keepers) await keeper.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('reads a raw file into a buffer of exactly its size', async () => {
    const path = join(dir, 'labels');
    await writeFile(path, encodeIdx({ type: 'uint8', dims: [3], data: Uint8Array.of(7, 8, 9) }));
    const idx = await readIdxFile(path);
    expect(Array.from(idx.data)).toEqual([7, 8, 9]);
    expect(idx.data.buffer.byteLength).toBe(11);
    expect(Buffer.isBuffer(idx.data)).toBe(false);
  });

  it('refuses a directory before reading it', async () => {
    const path = join(dir, 'sub');
    await mkdir(path);
    const error = await readIdxFile(path).catch((e) => e);
    expect(error).toBeInstanceOf(IdxFormatError);
    expect(error.message).toBe(`${path}: expected a regular file, found a directory`);
  });

  it.skipIf(!existsSync('/dev/zero'))('refuses a device such as /dev/zero, which never ends', async () => {
    const error = await readIdxFile('/dev/zero').catch((e) => e);
    expect(error).toBeInstanceOf(IdxFormatError);
    expect(error.message).toBe('/dev/zero: expected a regular file, found a character device');
  });

  it('refuses a file over maxBytes before reading any of it', async () => {
    const path = join(dir, 'huge');
    // 8 GiB claimed by a sparse file: no disk space used, and nothing to read but zeros.
    const handle = await open(path, 'w');
    await handle.truncate(8 * 1024 ** 3);
    await handle.close();
    const error = await readIdxFile(path).catch((e) => e);
    expect(error).toBeInstanceOf(IdxFormatError);
    expect(error.message).toBe(`${path}: expected at most 268435456 bytes (maxBytes), found 8589934592 bytes`);
  });

  it('names the path in format errors unless a name is given', async () => {
    const path = join(dir, 'short');
    await writeFile(path, Uint8Array.of(0, 0, 8));
    for (const options of [{}, { name: undefined }]) {
      await expect(readIdxFile(path, options)).rejects.toThrow(
        `${path}: expected a 4-byte magic number, found 3 bytes in all`,
      );
    }
    await expect(readIdxFile(path, { name: 'digits' })).rejects.toThrow(/^digits: expected a 4-byte magic number/);
  });

  it('refuses a maxBytes that would lift the cap, before opening the file', async () => {
    const path = join(dir, 'labels');
    await writeFile(path, encodeIdx({ type: 'uint8', dims: [3], data: Uint8Array.of(7, 8, 9) }));
    // NaN makes every `size > maxBytes` false.
    for (const maxBytes of [Number.NaN, -1, 2.5, Number.POSITIVE_INFINITY]) {
      await expect(readIdxFile(path, { maxBytes })).rejects.toThrow(
        new RangeError(`readIdxFile: maxBytes must be a non-negative integer, found ${maxBytes}`),
      );
    }
  });

  it.skipIf(process.platform === 'win32')(
    'refuses a FIFO without waiting for a writer or reading from it',
    async () => {
      const path = join(dir, 'pipe');
      execFileSync('mkfifo', [path]);
      // Hold the FIFO open for writing, with bytes waiting, so that a reader that does read it blocks for more
      // (until afterEach closes this end) rather than forever.
      const keeper = await open(path, constants.O_RDWR | constants.O_NONBLOCK);
      keepers.push(keeper);
      await keeper.write(new Uint8Array(100));
      const error = await readIdxFile(path, { maxBytes: 16 }).catch((e) => e);
      expect(error).toBeInstanceOf(IdxFormatError);
      expect(error.message).toBe(`${path}: expected a regular file, found a FIFO (named pipe)`);
    },
    5000,
  );

  it('never reads more than maxBytes + 1 bytes of a file that grows after fstat', async () => {
    const path = join(dir, 'growing');
    await writeFile(path, new Uint8Array(1000));
    const prototype = await fileHandlePrototype(dir);
    // fstat reports 10 bytes, as it would just before a writer appended the rest.
    const stat = prototype.stat;
    vi.spyOn(prototype, 'stat').mockImplementation(async function (this: FileHandle) {
      const info = (await stat.call(this)) as Stats;
      return Object.assign(Object.create(Object.getPrototypeOf(info)), info, { size: 10 });
    });
    const read = prototype.read;
    let bytesRead = 0;
    vi.spyOn(prototype, 'read').mockImplementation(async function (this: FileHandle, ...args: unknown[]) {
      const result = await (read as (...a: unknown[]) => Promise<{ bytesRead: number }>).apply(this, args);
      bytesRead += result.bytesRead;
      return result;
    } as FileHandle['read']);
    const error = await readIdxFile(path, { maxBytes: 100 }).catch((e) => e);
    expect(error).toBeInstanceOf(IdxFormatError);
    expect(error.message).toBe(`${path}: expected at most 100 bytes (maxBytes), found more than 100 bytes`);
    expect(bytesRead).toBe(101);
  });

  it('reads a file that grew or shrank after fstat, within maxBytes', async () => {
    const path = join(dir, 'labels');
    await writeFile(path, encodeIdx({ type: 'uint8', dims: [4], data: Uint8Array.of(1, 2, 3, 4) }));
    const prototype = await fileHandlePrototype(dir);
    const stat = prototype.stat;
    let reported = 3;
    vi.spyOn(prototype, 'stat').mockImplementation(async function (this: FileHandle) {
      const info = (await stat.call(this)) as Stats;
      return Object.assign(Object.create(Object.getPrototypeOf(info)), info, { size: reported });
    });
    expect(Array.from((await readIdxFile(path)).data)).toEqual([1, 2, 3, 4]);
    reported = 50;
    expect(Array.from((await readIdxFile(path)).data)).toEqual([1, 2, 3, 4]);
  });
});

describe('readIdxFile on random damage (fast-check)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'datasets-read-property-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it(
    'reads a damaged file, raw or gzipped, as decodeIdx decodes its bytes, within maxBytes',
    async () => {
      const damagedRaw = fc.tuple(validIdxFile, idxMutations).map(([file, mutations]) => mutateAll(file, mutations));
      const damagedGzip = mutatedGzipIdx.map(({ file }) => file);
      let files = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(damagedRaw, damagedGzip),
          fc.oneof(fc.integer({ min: 0, max: 4096 }), fc.constant(256 * 1024)),
          async (bytes, maxBytes) => {
            const path = join(dir, `damaged-${files++}`);
            await writeFile(path, bytes);
            const { outcome, streams } = await meterInflation(() => readIdxFile(path, { maxBytes }));
            const found: IdxData | Error = outcome.status === 'fulfilled' ? outcome.value : outcome.reason;
            await rm(path);
            // A gzipped file within maxBytes is inflated no further than its header promises; nothing else is inflated.
            if (isGzip(bytes) && bytes.length <= maxBytes) expectInflatedWithinPromise(streams, maxBytes);
            else expect(streams).toHaveLength(0);
            if (bytes.length > maxBytes) {
              expectIdxFormatError(found, path);
              expect((found as Error).message).toBe(
                `${path}: expected at most ${maxBytes} bytes (maxBytes), found ${bytes.length} bytes`,
              );
              return;
            }
            const expected: IdxData | Error = await decodeIdx(bytes, { name: path, maxBytes }).catch((error) => error);
            if (expected instanceof Error) {
              expectIdxFormatError(found, path);
              expect((found as Error).message).toBe(expected.message);
              return;
            }
            expect(found).not.toBeInstanceOf(Error);
            const idx = found as IdxData;
            expect(idx.type).toBe(expected.type);
            expect(idx.dims).toEqual(expected.dims);
            expect(Array.from(idx.data)).toEqual(Array.from(expected.data));
            if (!isGzip(bytes)) expectPaidFor(bytes, idx);
          },
        ),
        propertyRuns(150),
      );
    },
    PROPERTY_TIMEOUT,
  );
});
