import { existsSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IdxFormatError } from '../idx-format-error.js';
import { hasFifos, makeFifo, releaseFifo } from './fifo.test-helper.js';
import { openRegularFile, readRegularFile } from './read-regular-file.js';

/** The number of file descriptors this process has open (Linux), to see that a refused file is closed again. */
const openDescriptors = () => readdirSync('/proc/self/fd').length;

describe('readRegularFile', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'datasets-regular-'));
  });
  afterEach(async () => {
    await releaseFifo(join(dir, 'pipe'));
    await rm(dir, { recursive: true, force: true });
  });

  it('reads a regular file whole, and refuses one over maxBytes naming it', async () => {
    const path = join(dir, 'bytes');
    await writeFile(path, Uint8Array.of(1, 2, 3));
    expect(Array.from(await readRegularFile(path, 3))).toEqual([1, 2, 3]);
    const error = await readRegularFile(path, 2).catch((e) => e);
    expect(error).toBeInstanceOf(IdxFormatError);
    expect(error.message).toBe(`${path}: expected at most 2 bytes (maxBytes), found 3 bytes`);
  });

  it.skipIf(!existsSync('/proc/self/fd') || !hasFifos)(
    'closes what it opened when it refuses something other than a regular file',
    async () => {
      await mkdir(join(dir, 'sub'));
      makeFifo(join(dir, 'pipe'));
      const before = openDescriptors();
      for (const [name, kind] of [
        ['sub', 'a directory'],
        ['pipe', 'a FIFO (named pipe)'],
      ]) {
        const path = join(dir, name);
        const error = await openRegularFile(path).catch((e) => e);
        expect(error).toBeInstanceOf(IdxFormatError);
        expect(error.message).toBe(`${path}: expected a regular file, found ${kind}`);
      }
      expect(openDescriptors()).toBe(before);
    },
  );

  it('passes on the error of a path that cannot be opened', async () => {
    const error = await readRegularFile(join(dir, 'missing'), 10).catch((e) => e);
    expect(error.code).toBe('ENOENT');
    expect(error.message).toContain(join(dir, 'missing'));
  });
});
