import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, open, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Random, randomNormal } from '@mnist/tensor';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Dense, ModelFormatError, Momentum, ReLU, Sequential, Softmax } from './index.js';
import { loadModelFile, ModelFileError, saveModelFile } from './node.js';
import { MAX_TEXT_BYTES } from './serialization/read-model-text.js';

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
      new ModelFormatError('$', `the file is ${size} bytes, over the ${size - 1}-byte limit (maxBytes)`, {
        file: path,
      }),
    );
    await expect(loadModelFile(path, { maxBytes: size })).resolves.toBeInstanceOf(Sequential);
  });

  it('reports invalid content as a ModelFormatError and a missing file as a ModelFileError with its code', async () => {
    const path = join(dir, 'broken.json');
    await writeFile(path, '{"format": "mnist-ts/sequential"');
    await expect(loadModelFile(path)).rejects.toBeInstanceOf(ModelFormatError);
    const missing = join(dir, 'missing.json');
    const error = await loadModelFile(missing).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelFileError);
    expect((error as ModelFileError).code).toBe('ENOENT');
    expect((error as Error).message).toBe(`cannot read ${missing}: no such file or directory (ENOENT)`);
  });

  it('refuses text that is not UTF-8', async () => {
    const path = join(dir, 'latin1.json');
    await writeFile(path, Buffer.from([0x7b, 0x22, 0xe9, 0x22, 0x7d])); // {"é"} in Latin-1
    await expect(loadModelFile(path)).rejects.toThrow(
      new ModelFormatError('$', 'the file is not UTF-8 text', { file: path }),
    );
  });
});

describe('loadModelFile reads only regular files, with a bound, naming the file', () => {
  it('a FIFO is refused at once instead of hanging', async () => {
    const fifo = join(dir, 'model.fifo');
    execFileSync('mkfifo', [fifo]);
    const load = loadModelFile(fifo);
    // If the load blocks in open(), a writer opening and closing the FIFO releases it, so the test fails, not hangs.
    const timer = setTimeout(() => {
      void open(fifo, 'w').then((h) => h.close());
    }, 2000);
    try {
      const error = await load.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toEqual(
        new ModelFormatError('$', 'expected a regular file, found a FIFO (named pipe)', { file: fifo }),
      );
    } finally {
      clearTimeout(timer);
    }
  });

  it('a device such as /dev/zero is refused without reading it', async () => {
    const error = await loadModelFile('/dev/zero').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelFormatError);
    expect((error as Error).message).toBe('/dev/zero: $: expected a regular file, found a character device');
  });

  it('a /proc file, whose size stat reports as 0, is still read only up to maxBytes', async () => {
    const error = await loadModelFile('/proc/self/status', { maxBytes: 16 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelFormatError);
    expect((error as Error).message).toBe(
      '/proc/self/status: $: the file is more than 16 bytes, over the 16-byte limit (maxBytes)',
    );
  });

  it('a directory is a ModelFormatError naming it', async () => {
    const error = await loadModelFile(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelFormatError);
    expect((error as Error).message).toBe(`${dir}: $: expected a regular file, found a directory`);
  });

  it('a file too large to be one string is refused without reading it, naming the file', async () => {
    const path = join(dir, 'huge.json');
    const handle = await open(path, 'w');
    await handle.truncate(600 * 2 ** 20); // sparse: no disk space used
    await handle.close();
    try {
      const error = await loadModelFile(path, { maxBytes: 2 ** 30 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ModelFormatError);
      expect((error as Error).message).toBe(
        `${path}: $: the file is ${600 * 2 ** 20} bytes, more than the longest string this JavaScript engine holds (${MAX_TEXT_BYTES} characters)`,
      );
      expect((await loadModelFile(path).catch((e: unknown) => e)) as Error).toBeInstanceOf(ModelFormatError);
    } finally {
      await rm(path);
    }
  });

  it('a content error names the file', async () => {
    const path = join(dir, 'bad-version.json');
    await writeFile(path, JSON.stringify({ ...model().save(), version: 9 }));
    const error = await loadModelFile(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelFormatError);
    expect((error as Error).message).toBe(`${path}: $.version: this library reads version 1, found 9`);
    expect([(error as ModelFormatError).file, (error as ModelFormatError).path]).toEqual([path, '$.version']);
  });
});

describe('saveModelFile never loses a model', () => {
  it('a save into a directory that does not exist fails naming the path', async () => {
    const path = join(dir, 'no-such-dir', 'model.json');
    await expect(saveModelFile(model(), path)).rejects.toThrow(
      `cannot save the model to ${path}: no such file or directory (ENOENT)`,
    );
  });

  it('concurrent saves to one path leave one of the models, whole, and no temporary file', async () => {
    const sub = await mkdtemp(join(dir, 'concurrent-'));
    const path = join(sub, 'model.json');
    const models = [1, 2, 3, 4, 5].map(
      (seed) => new Sequential([new Dense(40, 60), new ReLU(), new Dense(60, 3)], { seed }),
    );
    for (let attempt = 0; attempt < 5; attempt++) {
      const results = await Promise.allSettled(models.map((m) => saveModelFile(m, path)));
      expect(results.map((r) => r.status)).toEqual(Array(5).fill('fulfilled'));
      const text = await readFile(path, 'utf8');
      expect(models.map((m) => JSON.stringify(m.save()))).toContain(text);
      expect(await readdir(sub)).toEqual(['model.json']);
    }
  });

  it('flushes the data to disk (FileHandle.sync) before the file takes its name', async () => {
    const probe = await open(join(dir, 'probe'), 'w');
    const prototype = Object.getPrototypeOf(probe);
    await probe.close();
    await rm(join(dir, 'probe'));
    const sync = vi.spyOn(prototype, 'sync');
    try {
      await saveModelFile(model(), join(dir, 'synced.json'));
      expect(sync).toHaveBeenCalledTimes(1);
    } finally {
      sync.mockRestore();
      await rm(join(dir, 'synced.json'));
    }
  });

  it('a save onto a directory fails naming the path and leaves no temporary file', async () => {
    const sub = await mkdtemp(join(dir, 'onto-dir-'));
    const target = join(sub, 'target');
    await mkdir(target);
    const error = await saveModelFile(model(), target).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelFileError);
    expect((error as Error).message).toBe(`cannot save the model to ${target}: it is a directory (EISDIR)`);
    expect(await readdir(sub)).toEqual(['target']);
  });
});
