import { jsBackend, Random, type Tensor } from '@mnist/tensor';
import { describe, expect, it } from 'vitest';
import { ElasticDeformation } from './augment/elastic-deformation.js';
import type { ImageAugmentation } from './augment/image-augmentation.js';
import { RandomRotation } from './augment/random-rotation.js';
import { RandomShift } from './augment/random-shift.js';
import { BatchLoader } from './batch-loader.js';
import { ImageDataset } from './image-dataset.js';

/** `n` 2×2 images; image i has every pixel equal to i and label i mod 10. */
function dataset(n: number): ImageDataset {
  const images = new Uint8Array(4 * n);
  for (let i = 0; i < n; i++) images.fill(i, 4 * i, 4 * i + 4);
  return new ImageDataset({ images, labels: Uint8Array.from({ length: n }, (_, i) => i % 10), height: 2, width: 2 });
}

/** The dataset indices of a batch, read back from its pixels. */
const seen = (x: Tensor, size: number) => Array.from({ length: size }, (_, i) => Math.round(x.data[4 * i] * 255));

describe('BatchLoader', () => {
  it('visits every example once per epoch, in a new seeded order each epoch', () => {
    const loader = new BatchLoader(dataset(10), { batchSize: 4, rng: new Random(1) });
    expect(loader.batchCount).toBe(3);
    const epochs: number[][] = [];
    for (let e = 0; e < 2; e++) {
      const order: number[] = [];
      for (const { x, y, indices, size } of loader.epoch()) {
        expect(seen(x, size)).toEqual(Array.from(indices));
        expect(Array.from(y)).toEqual(Array.from(indices, (i) => i % 10));
        order.push(...indices);
      }
      expect([...order].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      epochs.push(order);
    }
    expect(epochs[0]).not.toEqual(epochs[1]);
    const again = new BatchLoader(dataset(10), { batchSize: 4, rng: new Random(1) });
    // Batches are reused, so read each one while it is current.
    expect(Array.from(again, (b) => Array.from(b.indices)).flat()).toEqual(epochs[0]);
  });

  it('reuses one set of buffers for full batches and one for the last, across epochs', () => {
    const loader = new BatchLoader(dataset(10), { batchSize: 4, rng: new Random(2), layout: 'image' });
    const first = Array.from(loader.epoch(), (b) => [b, b.x, b.y] as const);
    const second = Array.from(loader.epoch(), (b) => [b, b.x, b.y] as const);
    expect(first.map(([b]) => b.size)).toEqual([4, 4, 2]);
    expect(first[0][1].shape).toEqual([4, 1, 2, 2]);
    expect(first[2][1].shape).toEqual([2, 1, 2, 2]);
    expect(first[0][1]).toBe(first[1][1]);
    for (let i = 0; i < 3; i++) {
      expect(second[i][1]).toBe(first[i][1]);
      expect(second[i][2]).toBe(first[i][2]);
    }
  });

  it('keeps the dataset order without shuffling and can drop the last batch', () => {
    const loader = new BatchLoader(dataset(10), { batchSize: 3, shuffle: false, dropLast: true });
    expect(loader.batchCount).toBe(3);
    expect(Array.from(loader, (b) => seen(b.x, b.size))).toEqual([
      [0, 1, 2],
      [3, 4, 5],
      [6, 7, 8],
    ]);
    expect(new BatchLoader(dataset(9), { batchSize: 3, shuffle: false }).batchCount).toBe(3);
  });

  it('gathers batches in ordinary memory until placed, then into the backend’s own memory', () => {
    // MNIST-sized images, so the wasm-simd backend's gather kernel runs rather than its small-array fallback.
    const n = 100;
    const images = Uint8Array.from({ length: 784 * n }, (_, i) => (i * 37) % 256);
    const mnistLike = new ImageDataset({ images, labels: new Uint8Array(n), height: 28, width: 28 });
    const allocated: Float32Array[] = [];
    const home = {
      ...jsBackend,
      name: 'home',
      allocate(length: number) {
        allocated.push(new Float32Array(length));
        return allocated[allocated.length - 1];
      },
    };
    const loader = new BatchLoader(mnistLike, { batchSize: 64, rng: new Random(3) });
    const first = loader.epoch().next().value as { x: Tensor };
    expect(first.x.backend).toBeUndefined();
    expect(loader.to(home)).toBe(loader);
    expect(loader.backend).toBe(home);
    for (const augment of [undefined, new RandomShift()]) {
      const placed = augment ? new BatchLoader(mnistLike, { batchSize: 64, rng: new Random(3), augment }) : loader;
      const { x, indices } = placed.to(home).epoch().next().value as { x: Tensor; indices: Int32Array };
      expect(x.backend).toBe(home);
      expect(allocated).toContain(x.data);
      if (augment) continue;
      for (let i = 0; i < 64; i++) {
        for (let j = 0; j < 784; j += 97)
          expect(x.data[i * 784 + j]).toBe(Math.fround(images[indices[i] * 784 + j] / 255));
      }
    }
  });

  it('applies augmentations in order, in place, reproducibly', () => {
    const calls: string[] = [];
    const mark = (name: string): ImageAugmentation => ({
      apply(images, _rng, out) {
        calls.push(name);
        expect(out).toBe(images);
        return images;
      },
    });
    const loader = new BatchLoader(dataset(5), { batchSize: 5, rng: new Random(1), augment: [mark('a'), mark('b')] });
    Array.from(loader);
    expect(calls).toEqual(['a', 'b']);

    const run = () => {
      const shifted = new BatchLoader(dataset(64), {
        batchSize: 16,
        rng: new Random(9),
        augment: new RandomShift({ maxShift: 1 }),
      });
      return Array.from(shifted, (b) => Array.from(b.x.data));
    };
    expect(run()).toEqual(run());
  });

  it("reuses its batches and the augmentations' buffers across batches and epochs once warmed up", () => {
    const shift = new RandomShift({ maxShift: 1 });
    const rotation = new RandomRotation({ maxDegrees: 30 });
    const elastic = new ElasticDeformation({ alpha: 2, sigma: 1 });
    const outputs: [Tensor, Tensor][] = [];
    const watched = [shift, rotation, elastic].map(
      (augmentation): ImageAugmentation => ({
        apply(images, rng, out) {
          const y = augmentation.apply(images, rng, out);
          outputs.push([images, y]);
          return y;
        },
      }),
    );
    const loader = new BatchLoader(dataset(10), {
      batchSize: 4,
      rng: new Random(5),
      layout: 'image',
      augment: watched,
    });
    // Every scratch buffer the augmentations keep (their internals, read here to check that none is replaced).
    const scratch = () => {
      const runner = (a: object) => (a as { runner: { source: Float32Array } }).runner.source;
      const fields = elastic as unknown as Record<string, Float32Array>;
      return [
        runner(shift),
        runner(rotation),
        runner(elastic),
        ...['noise', 'rowsSmoothed', 'displacement', 'rowSmoothing', 'columnSmoothing'].map((key) => fields[key]),
      ];
    };
    const warmUp = Array.from(loader.epoch(), (b) => b.x); // sizes 4, 4, 2: the largest batch comes first
    const buffers = scratch();
    for (let epoch = 0; epoch < 2; epoch++) {
      outputs.length = 0;
      const xs = Array.from(loader.epoch(), (b) => b.x);
      expect(xs).toHaveLength(3);
      for (let i = 0; i < 3; i++) expect(xs[i]).toBe(warmUp[i]);
      expect(xs[0]).toBe(xs[1]);
      // Every augmentation wrote into the batch it was given, in place: no output tensor was made.
      expect(outputs).toHaveLength(9);
      for (const [images, y] of outputs) expect(y).toBe(images);
      expect(outputs.every(([images]) => xs.includes(images))).toBe(true);
      const now = scratch();
      for (let i = 0; i < buffers.length; i++) expect(now[i], `scratch buffer ${i}`).toBe(buffers[i]);
    }
  });

  it('ends an epoch when the next one starts: the older iterator throws when resumed', () => {
    const loader = new BatchLoader(dataset(10), { batchSize: 4, rng: new Random(1) });
    const first = loader.epoch();
    expect(first.next().done).toBe(false);
    const second = loader.epoch();
    expect(() => first.next()).toThrow(
      "BatchLoader: epoch 1 was resumed after epoch 2 started; the loader runs one epoch at a time (finish or drop an epoch's iterator before calling epoch() again, or use a second BatchLoader)",
    );
    // The newer epoch is whole and unaffected.
    const order = Array.from(second, (b) => Array.from(b.indices)).flat();
    expect(order.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // An iterator that finished its batches throws too if it is resumed after a newer epoch started.
    const third = loader.epoch();
    for (let i = 0; i < 3; i++) third.next();
    loader.epoch();
    expect(() => third.next()).toThrow(/epoch 3 was resumed after epoch 4 started/);
  });

  it('shuffles the same for a seed with and without augmentation', () => {
    const orders = (augment?: ImageAugmentation[]) => {
      const loader = new BatchLoader(dataset(20), { batchSize: 5, rng: new Random(3), augment });
      return [0, 1, 2].map(() => Array.from(loader.epoch(), (b) => Array.from(b.indices)).flat());
    };
    const plain = orders();
    expect(orders([new RandomShift({ maxShift: 1 })])).toEqual(plain);
    expect(orders([new RandomShift(), new ElasticDeformation({ alpha: 1, sigma: 1 })])).toEqual(plain);
  });

  it('asks for a generator when it needs one', () => {
    expect(() => new BatchLoader(dataset(2), { batchSize: 1 })).toThrow(/shuffling needs a seeded generator/);
    expect(() => new BatchLoader(dataset(2), { batchSize: 1, shuffle: false, augment: new RandomShift() })).toThrow(
      /augmentation needs a seeded generator/,
    );
    expect(() => new BatchLoader(dataset(2), { batchSize: 0, shuffle: false })).toThrow(
      'BatchLoader: batchSize must be a positive integer, found 0',
    );
  });
});
