import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadMnist } from '@mnist/datasets/node';
import { loadModelFile } from '@mnist/nn/node';
import { argmax } from '@mnist/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import type { Io } from './io.js';
import { mlp } from './mlp.js';
import { parseOptions } from './options.js';
import { predictCommand } from './predict-command.js';
import { trainCommand } from './train-command.js';

const dir = mkdtempSync(join(tmpdir(), 'mnist-example-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function capture(): Io & { text(): string } {
  const chunks: string[] = [];
  return { isTTY: false, cwd: dir, write: (t) => void chunks.push(t), text: () => chunks.join('') };
}

describe('the MNIST example, end to end on a slice of the real data', () => {
  it('trains well above chance, saves, and the saved model predicts the same classes', {
    timeout: 60_000,
  }, async () => {
    const io = capture();
    const options = parseOptions(['--epochs', '2', '--train-size', '3000', '--dev-size', '500', '--test-size', '1000']);
    const result = await trainCommand({ ...options, out: 'slice.json', json: true }, io);
    // Chance is 10%; 2 500 images for 2 epochs reach about 85%.
    expect(result.testAccuracy).toBeGreaterThan(0.75);
    expect(result.epochs).toBe(2);
    const output = io.text();
    expect(output).toMatch(/total parameters: 109,386/);
    expect(output).toMatch(/epoch 2\/2: loss [\d.]+ acc [\d.]+%\s+dev loss [\d.]+ acc [\d.]+%/);
    expect(output).toMatch(/confusion matrix/);
    const json = JSON.parse(output.trim().split('\n').at(-1) as string);
    expect(json).toMatchObject({ testAccuracy: result.testAccuracy, epochs: 2 });
    expect(typeof json.trainSeconds).toBe('number');

    const reloaded = await loadModelFile(join(dir, 'slice.json'));
    const { test } = await loadMnist();
    const x = test.slice(0, 200).toTensor();
    expect(Array.from(argmax(reloaded.predict(x)))).toEqual(Array.from(argmax(result.model.predict(x))));

    const predictions = await predictCommand(
      { ...options, command: 'predict', modelPath: 'slice.json', indices: [0, 1, 2] },
      capture(),
    );
    expect(predictions.map((p) => p.actual)).toEqual([7, 2, 1]);
    const expected = Array.from(argmax(result.model.predict(test.slice(0, 3).toTensor())));
    expect(predictions.map((p) => p.predicted)).toEqual(expected);
  });
});

describe('the other architectures train too', () => {
  it('the CNN with augmentation learns from a few hundred images', { timeout: 60_000 }, async () => {
    const options = parseOptions([
      '--model',
      'cnn',
      '--augment',
      '--epochs',
      '2',
      '--train-size',
      '700',
      '--dev-size',
      '100',
    ]);
    const result = await trainCommand({ ...options, testSize: 300, quiet: true, out: 'cnn.json' }, capture());
    // Chance is 10%; 600 augmented images for 2 epochs give well over 50%.
    expect(result.testAccuracy).toBeGreaterThan(0.4);
    const reloaded = await loadModelFile(join(dir, 'cnn.json'));
    const { test } = await loadMnist();
    const x = test.slice(0, 50).toTensor('image');
    expect(Array.from(argmax(reloaded.predict(x)))).toEqual(Array.from(argmax(result.model.predict(x))));
  });

  it('the MLP with dropout', { timeout: 60_000 }, async () => {
    const options = parseOptions(['--dropout', '0.2', '--epochs', '2', '--train-size', '2000', '--dev-size', '500']);
    const result = await trainCommand({ ...options, testSize: 500, quiet: true, out: 'dropout.json' }, capture());
    // Chance is 10%; 1 500 images for 2 epochs with dropout reach about 75%.
    expect(result.testAccuracy).toBeGreaterThan(0.6);
    expect(result.model.layers.filter((l) => l.type === 'Dropout')).toHaveLength(2);
  });
});

describe('the command line', () => {
  // A dataset directory whose files are not IDX, and a model to run `predict` with.
  mkdirSync(join(dir, 'corrupt'));
  for (const name of [
    'train-images-idx3-ubyte',
    'train-labels-idx1-ubyte',
    't10k-images-idx3-ubyte',
    't10k-labels-idx1-ubyte',
  ]) {
    writeFileSync(join(dir, 'corrupt', name), 'garbage');
  }
  writeFileSync(join(dir, 'untrained.json'), JSON.stringify(mlp(1).save()));
  writeFileSync(join(dir, 'garbage.onnx'), 'not protobuf');
  const small = ['--epochs', '1', '--train-size', '600', '--dev-size', '100', '--test-size', '100', '--quiet'];

  // Run as `pnpm mnist` would: from the example's directory, with the caller's directory in INIT_CWD.
  const exampleDir = fileURLToPath(new URL('..', import.meta.url));
  const run = (...args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', '--conditions=@mnist/source', 'src/main.ts', ...args], {
      encoding: 'utf8',
      cwd: exampleDir,
      env: { ...process.env, INIT_CWD: dir },
    });

  it.each([
    [['--epochs', 'ten'], /--epochs must be an integer ≥ 1, found 'ten'/],
    [['--bogus'], /Unknown option '--bogus'; see --help/],
    [['fly'], /unknown command 'fly'/],
    [['--optimizer', 'adam'], /--optimizer must be momentum, heavy-ball, nesterov or sgd/],
    [['--model', 'resnet'], /--model must be mlp or cnn, found 'resnet'/],
    [['--dropout', '1.5'], /--dropout must be a number in \[0, 0.9\]/],
    [['predict', '--model', 'missing.json'], /no model at .*missing\.json; train one first/],
    [['--data', '.'], /lacks train-images-idx3-ubyte/],
    [['--data', 'corrupt'], /^mnist: --data: \/.*\/corrupt\/\S+-ubyte: expected an IDX magic number/],
    [
      ['predict', '--model', 'untrained.json', '--idx', 'nope.idx'],
      /^mnist: --idx: \/.*\/nope\.idx: no such file or directory$/m,
    ],
    [
      [...small, '--learning-rate', '1e6', '--out', 'lr.json'],
      /^mnist: --learning-rate 1000000: training diverged: .*lower learning rate/,
    ],
    [['--out', '.'], /^mnist: --out: \/.* is a directory; give a file name/],
    [['predict', '--model', 'garbage.onnx'], /^mnist: --model: \/.*\/garbage\.onnx: not an ONNX model: /],
    [['export', '--model', 'untrained.json'], /^mnist: export needs --onnx FILE/],
  ])('%j fails with one clear line and exit code 2', { timeout: 30_000 }, (args, message) => {
    const { status, stderr, stdout } = run(...(args as string[]));
    expect(status).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(stdout).toBe('');
  });

  it('the header names the backend and why it was chosen', { timeout: 30_000 }, () => {
    const { status, stdout } = spawnSync(
      process.execPath,
      ['--import', 'tsx', '--conditions=@mnist/source', 'src/main.ts', ...small.filter((a) => a !== '--quiet')],
      { encoding: 'utf8', cwd: exampleDir, env: { ...process.env, INIT_CWD: dir, MNIST_BACKEND: 'js' } },
    );
    expect(status).toBe(0);
    expect(stdout).toMatch(/^backend: js \(MNIST_BACKEND=js\)$/m);
  });

  it.each([
    [{ MNIST_THREADS: 'abc' }, /^mnist: MNIST_THREADS: expected an integer from 1 to 8, found 'abc'$/],
    [{ MNIST_BACKEND: 'cuda' }, /^mnist: MNIST_BACKEND: expected 'js' or 'wasm-simd', found 'cuda'$/],
  ])('a bad %j in the environment fails with one line, before loading anything', (env, message) => {
    const loud = small.filter((a) => a !== '--quiet');
    for (const args of [loud, ['predict', '--model', 'untrained.json'], ['replicate', ...loud]]) {
      const { status, stderr, stdout } = spawnSync(
        process.execPath,
        ['--import', 'tsx', '--conditions=@mnist/source', 'src/main.ts', ...args],
        { encoding: 'utf8', cwd: exampleDir, env: { ...process.env, INIT_CWD: dir, ...env } },
      );
      expect(status).toBe(2);
      expect(stderr.trim()).toMatch(message);
      expect(stdout).toBe('');
    }
  });

  it('--verbose adds the stack traces to a user error', () => {
    const { status, stderr } = run('--data', 'corrupt', '--verbose');
    expect(status).toBe(2);
    expect(stderr.split('\n')[0]).toMatch(/^mnist: --data: \/.*: expected an IDX magic number/);
    expect(stderr).toMatch(/caused by: IdxFormatError: /);
    expect(stderr).toMatch(/\n\s+at /);
  });

  it('--help explains every command', () => {
    const { status, stdout } = run('--help');
    expect(status).toBe(0);
    for (const word of [
      'train',
      'predict',
      'replicate',
      'export',
      '--onnx',
      '--epochs',
      '--json',
      '--data',
      '--verbose',
    ])
      expect(stdout).toContain(word);
  });
});
