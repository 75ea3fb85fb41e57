import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Random, randomNormal } from '@mnist/tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Dense, ModelFormatError, Momentum, ReLU, Sequential, Softmax } from './index.js';
import { loadModelFile, saveModelFile } from './node.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mnist-nn-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function model(): Sequential {
  return new Sequential([new Dense(4, 6), new ReLU(), new Dense(6, 3), new Softmax()], { seed: 5 }).compile({
    loss: 'categoricalCrossEntropy',
    optimizer: new Momentum(),
  });
}

describe('saveModelFile and loadModelFile', () => {
  it('round-trip a model through a JSON file, leaving no temporary file behind', async () => {
    const original = model();
    const path = join(dir, 'model.json');
    await saveModelFile(original, path);
    expect(await readFile(path, 'utf8')).toBe(JSON.stringify(original.save()));
    expect(await readdir(dir)).toEqual(['model.json']);
    const loaded = await loadModelFile(path);
    const x = randomNormal([5, 4], new Random(1));
    expect(loaded.predict(x).equals(original.predict(x))).toBe(true);
  });

  it('saves and restores the optimizer when asked', async () => {
    const original = model();
    const path = join(dir, 'with-optimizer.json');
    await saveModelFile(original, path, { includeOptimizer: true });
    const loaded = await loadModelFile(path);
    expect(loaded.training.optimizer).toBeInstanceOf(Momentum);
  });

  it('overwrites an existing file', async () => {
    const path = join(dir, 'overwritten.json');
    await writeFile(path, 'old');
    await saveModelFile(model(), path);
    expect(JSON.parse(await readFile(path, 'utf8')).format).toBe('mnist-ts/sequential');
  });

  it('refuses a file over maxBytes before reading it', async () => {
    const path = join(dir, 'big.json');
    await saveModelFile(model(), path);
    const size = (await readFile(path)).length;
    await expect(loadModelFile(path, { maxBytes: size - 1 })).rejects.toThrow(
      new ModelFormatError('$', `${path} is ${size} bytes, over the ${size - 1}-byte limit (maxBytes)`),
    );
    await expect(loadModelFile(path, { maxBytes: size })).resolves.toBeInstanceOf(Sequential);
  });

  it('reports invalid content as a ModelFormatError and a missing file as a file-system error', async () => {
    const path = join(dir, 'broken.json');
    await writeFile(path, '{"format": "mnist-ts/sequential"');
    await expect(loadModelFile(path)).rejects.toBeInstanceOf(ModelFormatError);
    await expect(loadModelFile(join(dir, 'missing.json'))).rejects.toThrow(/ENOENT/);
  });
});
