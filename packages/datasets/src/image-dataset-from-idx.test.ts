import { describe, expect, it } from 'vitest';
import { IdxFormatError } from './idx-format-error.js';
import { imageDatasetFromIdx } from './image-dataset-from-idx.js';
import type { IdxData } from './parse-idx.js';

const images = (n: number, h = 2, w = 3): IdxData => ({
  type: 'uint8',
  dims: [n, h, w],
  data: new Uint8Array(n * h * w),
});
const labels = (...values: number[]): IdxData => ({
  type: 'uint8',
  dims: [values.length],
  data: Uint8Array.from(values),
});

function failure(run: () => unknown): IdxFormatError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(IdxFormatError);
    return error as IdxFormatError;
  }
  throw new Error('expected an IdxFormatError');
}

describe('imageDatasetFromIdx', () => {
  it('pairs images and labels without copying', () => {
    const i = images(2);
    const l = labels(3, 4);
    const ds = imageDatasetFromIdx(i, l);
    expect([ds.length, ds.height, ds.width]).toEqual([2, 2, 3]);
    expect(ds.images).toBe(i.data);
    expect(ds.labels).toBe(l.data);
  });

  it('names the file at fault', () => {
    const names = { imagesName: 'img.idx', labelsName: 'lab.idx' };
    expect(failure(() => imageDatasetFromIdx(images(2), labels(1, 2, 3), names)).message).toBe(
      'lab.idx: expected 2 labels, one per image in img.idx, found 3',
    );
    expect(failure(() => imageDatasetFromIdx(images(2), labels(1, 10), names)).message).toBe(
      'lab.idx: expected labels in 0…9 (classCount 10), found 10 at index 1',
    );
    expect(
      failure(() => imageDatasetFromIdx(images(1, 28, 27), labels(1), { ...names, height: 28, width: 28 })).message,
    ).toBe('img.idx: expected 28×28 images, found 28×27');
    expect(failure(() => imageDatasetFromIdx(labels(1), labels(1), names)).message).toBe(
      'img.idx: expected 3 dimensions [count, height, width], found [1]',
    );
    const floats: IdxData = { type: 'float32', dims: [1, 1, 1], data: new Float32Array(1) };
    expect(failure(() => imageDatasetFromIdx(floats, labels(1), names)).message).toBe(
      'img.idx: expected unsigned-byte pixels (type 0x08), found float32',
    );
    const wideLabels: IdxData = { type: 'int32', dims: [1], data: new Int32Array(1) };
    expect(failure(() => imageDatasetFromIdx(images(1), wideLabels, names)).found).toBe('int32');
  });

  it('takes other class counts, as EMNIST needs', () => {
    expect(imageDatasetFromIdx(images(2), labels(46, 0), { classCount: 47 }).classCount).toBe(47);
    expect(() => imageDatasetFromIdx(images(1), labels(0), { classCount: 0 })).toThrow(RangeError);
  });
});
