import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadMnist } from '@mnist/datasets/node';
import { Dense, Sequential, Softmax } from '@mnist/nn';
import { saveModelFile } from '@mnist/nn/node';
import { ErfGELU } from '@mnist/onnx';
import { argmax } from '@mnist/tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureIo } from './capture-io.js';
import { CliError } from './cli-error.js';
import { cnn } from './cnn.js';
import { mlp } from './mlp.js';
import { parseOptions } from './options.js';
import { predictCommand } from './predict-command.js';

const dir = mkdtempSync(join(tmpdir(), 'mnist-predict-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeAll(async () => {
  await saveModelFile(mlp(1), join(dir, 'mlp.json'));
  await saveModelFile(cnn(1), join(dir, 'cnn.json'));
  await saveModelFile(new Sequential([new Dense(784, 5), new Softmax()], { seed: 1 }), join(dir, 'five.json'));
  await saveModelFile(withErfGelu(), join(dir, 'erf-gelu.json'));
  writeFileSync(join(dir, 'garbage.idx'), 'garbage');
  mkdirSync(join(dir, 'folder.idx'));
});

function predict(...args: string[]) {
  return predictCommand(parseOptions(['predict', '--quiet', ...args]), captureIo(dir));
}

describe('predict rejects what the user got wrong with one clear line', () => {
  it.each([
    [['--model', 'mlp.json', '--idx', 'nope.idx'], /^--idx: \/.*\/nope\.idx: no such file or directory$/],
    [
      ['--model', 'mlp.json', '--idx', 'folder.idx'],
      /^--idx: \/.*\/folder\.idx: expected a regular file, found a directory$/,
    ],
    [['--model', 'mlp.json', '--idx', 'garbage.idx'], /^--idx: \/.*\/garbage\.idx: expected an IDX magic number/],
    [['--model', 'nope.json'], /^no model at \/.*\/nope\.json; train one first/],
    [['--model', 'garbage.idx'], /^--model: \/.*\/garbage\.idx is not a valid model: /],
    [
      ['--model', 'five.json'],
      /^--model: \/.*\/five\.json outputs 5 values per image; an MNIST classifier outputs 10 digit probabilities$/,
    ],
  ])('%j', async (args, message) => {
    const error = await predict(...(args as string[])).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).message).toMatch(message);
  });
});

describe('predict runs any model that fits the task', () => {
  it('feeds a convolutional network images of 1×28×28', { timeout: 30_000 }, async () => {
    const predictions = await predict('--model', 'cnn.json', '--index', '0,1');
    const { test } = await loadMnist();
    const expected = argmax(cnn(1).predict(test.slice(0, 2).toTensor('image')), -1);
    expect(predictions.map((p) => p.predicted)).toEqual(Array.from(expected));
    for (const p of predictions) expect(p.probabilities.reduce((a, b) => a + b)).toBeCloseTo(1, 5);
  });

  it('reads a model file holding a layer of an imported ONNX model (the exact GELU of PyTorch’s nn.GELU())', async () => {
    const predictions = await predict('--model', 'erf-gelu.json', '--index', '0,1');
    const { test } = await loadMnist();
    const expected = argmax(withErfGelu().predict(test.slice(0, 2).toTensor()), -1);
    expect(predictions.map((p) => p.predicted)).toEqual(Array.from(expected));
  });
});

function withErfGelu(): Sequential {
  return new Sequential([new Dense(784, 32), new ErfGELU(), new Dense(32, 10), new Softmax()], { seed: 2 });
}
