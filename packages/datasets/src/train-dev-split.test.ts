import { Random } from '@mnist/tensor';
import { describe, expect, it } from 'vitest';
import { ImageDataset } from './image-dataset.js';
import { trainDevSplit } from './train-dev-split.js';

/** 10 one-pixel images whose pixel equals their index, labelled index mod 10. */
const dataset = () =>
  new ImageDataset({
    images: Uint8Array.from({ length: 10 }, (_, i) => i),
    labels: Uint8Array.from({ length: 10 }, (_, i) => i),
    height: 1,
    width: 1,
  });

describe('trainDevSplit', () => {
  it('holds out the last examples as views by default', () => {
    const all = dataset();
    const { train, dev } = trainDevSplit(all, { devSize: 3 });
    expect(Array.from(train.images)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(Array.from(dev.labels)).toEqual([7, 8, 9]);
    expect(dev.images.buffer).toBe(all.images.buffer);
  });

  it('draws a random, disjoint, reproducible dev set with a generator', () => {
    const { train, dev } = trainDevSplit(dataset(), { devSize: 4, rng: new Random(5) });
    expect(train.length + dev.length).toBe(10);
    const union = [...train.images, ...dev.images].sort((a, b) => a - b);
    expect(union).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(Array.from(dev.images)).toEqual([...dev.images].sort((a, b) => a - b)); // original order kept
    expect(Array.from(dev.images)).not.toEqual([6, 7, 8, 9]);
    expect(Array.from(trainDevSplit(dataset(), { devSize: 4, rng: new Random(5) }).dev.images)).toEqual(
      Array.from(dev.images),
    );
  });

  it('checks devSize', () => {
    expect(() => trainDevSplit(dataset(), { devSize: 11 })).toThrow(
      'trainDevSplit: devSize must be an integer in [0, 10], found 11',
    );
    expect(trainDevSplit(dataset(), { devSize: 0 }).dev.length).toBe(0);
  });
});
