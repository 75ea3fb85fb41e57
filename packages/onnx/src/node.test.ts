import { execFileSync } from 'node:child_process';
import { constants, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Conv2D, Dense, Flatten, ReLU, Sequential, Softmax } from '@mnist/nn';
import { ModelFileError } from '@mnist/nn/node';
import { Random, randomNormal } from '@mnist/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { exportOnnxFile, importOnnxFile } from './node.js';
import { OnnxExportError } from './onnx-export-error.js';
import { OnnxFormatError } from './onnx-format-error.js';

const dir = mkdtempSync(join(tmpdir(), 'mnist-onnx-file-'));
const fifo = join(dir, 'pipe.onnx');
const hasFifos = process.platform !== 'win32';
if (hasFifos) execFileSync('mkfifo', [fifo]);
mkdirSync(join(dir, 'folder.onnx'));

afterAll(async () => {
  // Opening the FIFO for reading and writing lets an open that waits on it go on, so that code that blocks on it fails
  // its test by the timeout instead of keeping a thread of the test process waiting forever.
  if (hasFifos) await (await open(fifo, constants.O_RDWR | constants.O_NONBLOCK)).close();
  rmSync(dir, { recursive: true, force: true });
});

/** What `promise` rejected with. */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

describe('exportOnnxFile and importOnnxFile', () => {
  it('write a model and read it back, with the same predictions, leaving no temporary file', async () => {
    const model = new Sequential([new Dense(6, 4), new ReLU(), new Dense(4, 3), new Softmax()], { seed: 1 });
    const path = join(dir, 'round-trip.onnx');
    await exportOnnxFile(model, path);
    const copy = await importOnnxFile(path);
    const x = randomNormal([5, 6], new Random(2));
    expect(Array.from(copy.predict(x).data)).toEqual(Array.from(model.predict(x).data));
    expect(readdirSync(dir).filter((name) => name.startsWith('round-trip'))).toEqual(['round-trip.onnx']);
  });

  it('exportOnnxFile refuses a model with no ONNX form before touching the disk', async () => {
    const path = join(dir, 'no-shape.onnx');
    const error = await rejection(exportOnnxFile(new Sequential([new Conv2D(1, 2, 3), new Flatten()]), path));
    expect(error).toBeInstanceOf(OnnxExportError);
    expect(existsSync(path)).toBe(false);
  });

  it('exportOnnxFile reports a directory that does not exist as a ModelFileError naming the file', async () => {
    const path = join(dir, 'missing', 'model.onnx');
    const error = await rejection(exportOnnxFile(new Sequential([new Dense(2, 2)], { seed: 1 }), path));
    expect(error).toBeInstanceOf(ModelFileError);
    expect((error as ModelFileError).code).toBe('ENOENT');
    expect((error as Error).message).toBe(`cannot write the ONNX model to ${path}: no such file or directory (ENOENT)`);
  });

  it('importOnnxFile reports a missing file as a ModelFileError naming it', async () => {
    const path = join(dir, 'none.onnx');
    const error = await rejection(importOnnxFile(path));
    expect(error).toBeInstanceOf(ModelFileError);
    expect((error as ModelFileError).code).toBe('ENOENT');
    expect((error as Error).message).toBe(`cannot read ${path}: no such file or directory (ENOENT)`);
  });

  it.each([
    ['a directory', join(dir, 'folder.onnx'), 'a directory'],
    ['a device that never ends', '/dev/zero', 'a character device'],
    ...(hasFifos ? [['a FIFO with no writer', fifo, 'a FIFO (named pipe)']] : []),
  ])('importOnnxFile refuses %s at once, without reading it', { timeout: 10_000 }, async (_name, path, kind) => {
    const error = await rejection(importOnnxFile(path));
    expect(error).toBeInstanceOf(OnnxFormatError);
    expect((error as OnnxFormatError).file).toBe(path);
    expect((error as Error).message).toBe(`${path}: expected a regular file, found ${kind}`);
  });

  it('importOnnxFile refuses a file over maxBytes', async () => {
    const path = join(dir, 'large.onnx');
    writeFileSync(path, new Uint8Array(2000));
    const error = await rejection(importOnnxFile(path, { maxBytes: 1000 }));
    expect(error).toBeInstanceOf(OnnxFormatError);
    expect((error as Error).message).toBe(`${path}: expected at most 1000 bytes (maxBytes), found 2000 bytes`);
    await expect(importOnnxFile(path, { maxBytes: -1 })).rejects.toThrow(RangeError);
  });
});
