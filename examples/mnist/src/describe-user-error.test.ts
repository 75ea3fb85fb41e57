import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IdxFormatError } from '@mnist/datasets';
import { DatasetNotFoundError } from '@mnist/datasets/node';
import { ModelFormatError, NonFiniteLossError } from '@mnist/nn';
import { OnnxExportError, OnnxFormatError, UnsupportedOnnxError } from '@mnist/onnx';
import { ShapeError } from '@mnist/tensor';
import { describe, expect, it } from 'vitest';
import { CliError } from './cli-error.js';
import { asCliError, describeUserError } from './describe-user-error.js';

/** A real error from the file system, with its `code`, `syscall` and `path`. */
async function fsError(path: string): Promise<unknown> {
  try {
    await (await open(path, 'r')).close();
  } catch (error) {
    return error;
  }
  throw new Error(`expected opening ${path} to fail`);
}

describe('describeUserError', () => {
  it('describes the library’s typed errors in one line that names the file', () => {
    const idx = new IdxFormatError('/data/train-images-idx3-ubyte', 'an IDX magic number', '0x67 0x61');
    expect(describeUserError(idx)).toBe('/data/train-images-idx3-ubyte: expected an IDX magic number, found 0x67 0x61');
    const missing = new DatasetNotFoundError('/data', ['t10k-images-idx3-ubyte'], 'download it');
    expect(describeUserError(missing)).toMatch(/^\/data lacks t10k-images-idx3-ubyte\[\.gz\]: download it$/);
    expect(describeUserError(new ModelFormatError('$.layers', 'expected an array, found 3'), '/m.json')).toBe(
      '/m.json is not a valid model: $.layers: expected an array, found 3',
    );
  });

  it('describes the ONNX package’s typed errors in one line that names the file', () => {
    const node = { node: '/0/Conv', opType: 'Conv', opset: 13 };
    expect(describeUserError(new UnsupportedOnnxError('only dilations of 1 import', node), '/m.onnx')).toBe(
      "/m.onnx: node '/0/Conv' (Conv, opset 13): only dilations of 1 import",
    );
    expect(describeUserError(new OnnxFormatError('not an ONNX model: it has no graph'), '/m.onnx')).toBe(
      '/m.onnx: not an ONNX model: it has no graph',
    );
    // An error about the file itself names it already.
    const folder = new OnnxFormatError('expected a regular file, found a directory', undefined, { file: '/d.onnx' });
    expect(describeUserError(folder, '/d.onnx')).toBe('/d.onnx: expected a regular file, found a directory');
    expect(describeUserError(new OnnxExportError('exportOnnx: layer 1 (acme/Scale) has no ONNX form'), '/m.json')).toBe(
      '/m.json cannot be written as ONNX: exportOnnx: layer 1 (acme/Scale) has no ONNX form',
    );
  });

  it('says what to try when training diverges', () => {
    const message = describeUserError(new NonFiniteLossError(Number.NaN, 0, 2));
    expect(message).toMatch(/the loss became NaN at epoch 1, batch 3/);
    expect(message).toMatch(/lower learning rate/);
    expect(message).not.toMatch(/\n/);
  });

  it('describes file-system errors by their code, naming the path', async () => {
    const path = join(tmpdir(), 'mnist-cli-no-such-file');
    expect(describeUserError(await fsError(path))).toBe(`${path}: no such file or directory`);
    // Reading a directory fails with EISDIR, an error that carries no path: the caller's is used.
    const eisdir = Object.assign(new Error('EISDIR: illegal operation on a directory, read'), {
      code: 'EISDIR',
      syscall: 'read',
    });
    expect(describeUserError(eisdir, '/some/dir')).toBe('/some/dir: it is a directory, not a file');
  });

  it('leaves bugs undescribed, whatever their message says', () => {
    expect(describeUserError(new TypeError('x is undefined'))).toBeUndefined();
    expect(describeUserError(new ShapeError('matmul', 'expects [2, 3], found [3, 2]'))).toBeUndefined();
    // Classified by type, not by text: a message that reads like a missing file is still a bug.
    expect(describeUserError(new Error('ENOENT: no such file or directory'))).toBeUndefined();
    expect(describeUserError('a thrown string')).toBeUndefined();
  });

  it('passes a CliError’s message through', () => {
    expect(describeUserError(new CliError('--epochs must be an integer ≥ 1, found 0'))).toBe(
      '--epochs must be an integer ≥ 1, found 0',
    );
  });
});

describe('asCliError', () => {
  it('prefixes a user error with the flag it came from and keeps the original as the cause', async () => {
    const cause = await fsError('/no/such/images.idx');
    const error = asCliError(cause, { flag: '--idx', path: '/no/such/images.idx' });
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).message).toBe('--idx: /no/such/images.idx: no such file or directory');
    expect((error as CliError).cause).toBe(cause);
  });

  it('returns a bug unchanged, so it keeps its stack trace', () => {
    const bug = new TypeError('x is undefined');
    expect(asCliError(bug, { flag: '--idx', path: '/x' })).toBe(bug);
  });
});
