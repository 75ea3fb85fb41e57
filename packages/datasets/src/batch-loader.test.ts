import { Random, type Tensor } from '@mnist/tensor';
import { describe, expect, it } from 'vitest';
import type { ImageAugmentation } from './augment/image-augmentation.js';
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
