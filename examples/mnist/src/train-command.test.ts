import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadModelFile } from '@mnist/nn/node';
import { getBackend } from '@mnist/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { captureIo } from './capture-io.js';
import { CliError } from './cli-error.js';
import { parseOptions } from './options.js';
import { trainCommand } from './train-command.js';

const dir = mkdtempSync(join(tmpdir(), 'mnist-train-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// A few hundred images for one epoch: enough to run every step of the command in well under a second of training.
const SMALL = ['--epochs', '1', '--train-size', '600', '--dev-size', '100', '--test-size', '100'];

async function failure(promise: Promise<unknown>): Promise<CliError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CliError);
  return error as CliError;
}

describe('train reports what the user got wrong in one line naming the flag', () => {
  it('a corrupt --data file', async () => {
    const data = join(dir, 'corrupt');
    mkdirSync(data);
    for (const name of [
      'train-images-idx3-ubyte',
      'train-labels-idx1-ubyte',
      't10k-images-idx3-ubyte',
      't10k-labels-idx1-ubyte',
    ]) {
      writeFileSync(join(data, name), 'garbage');
    }
    const io = captureIo(dir);
    const error = await failure(trainCommand(parseOptions([...SMALL, '--data', 'corrupt', '--out', 'a.json']), io));
    expect(error.message).toMatch(/^--data: \/.*\/corrupt\/[\w-]+-idx\d-ubyte: expected an IDX magic number/);
  });

  it('a diverging run, saying to lower the learning rate', { timeout: 30_000 }, async () => {
    const io = captureIo(dir);
    const options = parseOptions([...SMALL, '--learning-rate', '1e6', '--out', 'diverged.json']);
    const error = await failure(trainCommand(options, io));
    expect(error.message).toMatch(
      /^--learning-rate 1000000: training diverged: the loss became (NaN|-?Infinity) at epoch 1, batch \d+; try a lower learning rate/,
    );
    expect(existsSync(join(dir, 'diverged.json'))).toBe(false);
  });
});

describe('a bad --out fails before anything is loaded or trained', () => {
  const cases: [string, string, RegExp][] = [
    ['an existing directory', '.', /^--out: \/.* is a directory; give a file name, such as \/.*\/mnist-mlp\.json$/],
    [
      'a path ending in a separator',
      'models/',
      /^--out: models\/ names a directory; give a file name, such as models\/mnist-mlp\.json$/,
    ],
    ['a path under a regular file', 'file.txt/model.json', /^--out: \/.*\/file\.txt is not a directory$/],
  ];
  if (process.platform === 'linux') {
    // Paths that refuse writes even to root: /sys is read-only, and /proc refuses new directories (on which Node's
    // recursive mkdir used to spin forever).
    cases.push(['an unwritable directory', '/sys/model.json', /^--out: cannot write to \/sys: permission denied$/]);
    cases.push([
      'an uncreatable directory',
      '/proc/models/model.json',
      /^--out: cannot create the directory \/proc\/models/,
    ]);
  }
  it.each(cases)('%s', async (_, out, message) => {
    writeFileSync(join(dir, 'file.txt'), '');
    const io = captureIo(dir);
    const error = await failure(trainCommand(parseOptions([...SMALL, '--out', out]), io));
    expect(error.message).toMatch(message);
    expect(io.text()).toBe('');
  });

  it('creates the missing directories of a good --out', { timeout: 30_000 }, async () => {
    const result = await trainCommand(parseOptions([...SMALL, '--quiet', '--out', 'new/dirs/m.json']), captureIo(dir));
    expect(result.modelPath).toBe(join(dir, 'new', 'dirs', 'm.json'));
    await expect(loadModelFile(result.modelPath)).resolves.toBeDefined();
    // The writability probe leaves nothing behind.
    expect(readdirSync(join(dir, 'new', 'dirs'))).toEqual(['m.json']);
  });
});

describe('a model that cannot be saved after training is not lost', () => {
  it('is saved to a file in the temporary directory, and the error says where', { timeout: 30_000 }, async () => {
    const io = captureIo(dir);
    const diskFull = async () => {
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write' });
    };
    const options = parseOptions([...SMALL, '--quiet', '--out', 'full.json']);
    const error = await failure(trainCommand(options, io, { saveModel: diskFull }));
    const match =
      /^--out: \/.*\/full\.json: no space left on the device; the trained model was saved to (\S+) instead$/.exec(
        error.message,
      );
    expect(match, error.message).not.toBeNull();
    const fallback = (match as RegExpExecArray)[1];
    try {
      expect(dirname(dirname(fallback))).toBe(tmpdir());
      const restored = await loadModelFile(fallback);
      expect(restored.parameterCount()).toBe(109_386);
    } finally {
      // Only ever a directory the fallback created: never anything else, whatever the message said.
      if (dirname(dirname(fallback)) === tmpdir()) rmSync(dirname(fallback), { recursive: true, force: true });
    }
  });
});

describe('the header', () => {
  it('names the backend and its thread count', { timeout: 30_000 }, async () => {
    const io = captureIo(dir);
    await trainCommand(parseOptions([...SMALL, '--out', 'header.json']), io);
    const backend = getBackend();
    const line = io
      .text()
      .split('\n')
      .find((l) => l.startsWith('backend: '));
    if (backend.name === 'wasm-simd') expect(line).toMatch(/^backend: wasm-simd, \d+ threads?( \(.+\))?$/);
    else expect(line).toMatch(new RegExp(`^backend: ${backend.name}( \\(.+\\))?$`));
  });
});

describe('--l2', () => {
  it('penalises the weights of every dense and convolutional layer, and the header says so', async () => {
    const io = captureIo(dir);
    const options = parseOptions([
      ...SMALL,
      '--model',
      'cnn',
      '--train-size',
      '200',
      '--l2',
      '5e-4',
      '--out',
      'l2.json',
    ]);
    const { model } = await trainCommand(options, io);
    const penalised = model.layers.filter((layer) => 'l2' in layer).map((layer) => (layer as { l2: number }).l2);
    // Two convolutions and two dense layers.
    expect(penalised).toEqual([5e-4, 5e-4, 5e-4, 5e-4]);
    expect(io.text()).toMatch(/^optimizer: .*, L2 λ 0\.0005, batch size 64/m);
  });

  it('is a number in [0, 1]', () => {
    expect(() => parseOptions(['--l2', '2'])).toThrow(/^--l2 must be a number in \[0, 1\], found '2'$/);
    expect(() => parseOptions(['--l2=-1'])).toThrow(/^--l2 must be a number in \[0, 1\], found '-1'$/);
    expect(parseOptions([]).l2).toBe(0);
  });
});
