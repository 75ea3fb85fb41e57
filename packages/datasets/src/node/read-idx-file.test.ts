import { execFileSync } from 'node:child_process';
import { constants, type Stats } from 'node:fs';
import { type FileHandle, mkdir, mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { encodeIdx } from '../encode-idx.js';
import { IdxFormatError } from '../idx-format-error.js';
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
