import { ShapeError, Tensor } from '@mnist/tensor';
import { describe, expect, it } from 'vitest';
import { ImageDataset } from './image-dataset.js';

/** Three 2×2 images whose pixels are 10·image + position, labelled 7, 8, 9. */
function tiny(): ImageDataset {
  const images = Uint8Array.from({ length: 12 }, (_, i) => 10 * Math.floor(i / 4) + (i % 4));
  return new ImageDataset({ images, labels: Uint8Array.of(7, 8, 9), height: 2, width: 2 });
}

describe('ImageDataset', () => {
  it('keeps its bytes without copying and reports its size', () => {
    const images = new Uint8Array(2 * 3 * 4);
    const labels = Uint8Array.of(1, 2);
    const ds = new ImageDataset({ images, labels, height: 3, width: 4, classCount: 3 });
    expect(ds.images).toBe(images);
    expect(ds.labels).toBe(labels);
    expect([ds.length, ds.height, ds.width, ds.imageSize, ds.classCount]).toEqual([2, 3, 4, 12, 3]);
    expect(ds.shape(5)).toEqual([5, 12]);
    expect(ds.shape(5, 'image')).toEqual([5, 1, 3, 4]);
  });

  it('rejects sizes that disagree and labels out of range', () => {
    expect(
      () => new ImageDataset({ images: new Uint8Array(7), labels: new Uint8Array(2), height: 2, width: 2 }),
    ).toThrow('ImageDataset: 2 labels need 2·2·2 = 8 pixel bytes, found 7');
    expect(
      () => new ImageDataset({ images: new Uint8Array(4), labels: Uint8Array.of(10), height: 2, width: 2 }),
    ).toThrow('ImageDataset: labels must be below classCount 10, found 10 at 0');
    expect(
      () => new ImageDataset({ images: new Uint8Array(0), labels: new Uint8Array(0), height: 0, width: 2 }),
    ).toThrow(/height must be a positive integer/);
  });

  it('makes a normalised tensor in either layout', () => {
    const flat = tiny().toTensor();
    expect(flat.shape).toEqual([3, 4]);
    expect(flat.get(2, 3)).toBe(Math.fround(23 / 255));
    const image = tiny().toTensor('image');
    expect(image.shape).toEqual([3, 1, 2, 2]);
    expect(image.get(1, 0, 1, 0)).toBe(Math.fround(12 / 255));
  });

  it('gathers a batch into reusable buffers', () => {
    const ds = tiny();
    const x = Tensor.zeros([2, 1, 2, 2]);
    const y = new Uint8Array(2);
    expect(ds.gather([2, 0], x, y)).toBe(x);
    expect(Array.from(x.data)).toEqual([20, 21, 22, 23, 0, 1, 2, 3].map((v) => Math.fround(v / 255)));
    expect(Array.from(y)).toEqual([9, 7]);
  });

  it('checks what gather is given', () => {
    const ds = tiny();
    expect(() => ds.gather([0, 1], Tensor.zeros([2, 5]))).toThrow(ShapeError);
    expect(() => ds.gather([0, 1], Tensor.zeros([2, 5]))).toThrow(
      'ImageDataset.gather: x must have shape [2, 4] or [2, 1, 2, 2], found [2, 5]',
    );
    expect(() => ds.gather([3], Tensor.zeros([1, 4]))).toThrow(
      'ImageDataset.gather: indices[0] must be an integer in [0, 3), found 3',
    );
    expect(() => ds.gather([0, 1], Tensor.zeros([2, 4]), new Uint8Array(1))).toThrow(/y must hold 2 labels/);
  });

  it('slices as views and selects as copies', () => {
    const ds = tiny();
    const slice = ds.slice(1);
    expect(slice.length).toBe(2);
    expect(slice.images.buffer).toBe(ds.images.buffer);
    expect(Array.from(slice.labels)).toEqual([8, 9]);
    expect(ds.slice(-5, 99).length).toBe(3);
    expect(ds.slice(2, 1).length).toBe(0);
    const picked = ds.select([2, 2, 0]);
    expect(picked.images.buffer).not.toBe(ds.images.buffer);
    expect(Array.from(picked.labels)).toEqual([9, 9, 7]);
    expect(Array.from(picked.images.subarray(8))).toEqual([0, 1, 2, 3]);
    expect(() => ds.select([0.5])).toThrow(/indices\[0\] must be an integer/);
  });
});
