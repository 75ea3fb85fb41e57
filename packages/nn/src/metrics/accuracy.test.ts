import { oneHot, Tensor } from '@mnist/tensor';
import { describe, expect, it } from 'vitest';
import { accuracy } from './accuracy.js';

const prediction = Tensor.fromArray([
  [0.9, 0.1, 0],
  [0.2, 0.7, 0.1],
  [0.1, 0.2, 0.7],
  [0.6, 0.3, 0.1],
]); // argmax: 0, 1, 2, 0

describe('accuracy', () => {
  it('is the fraction of rows whose argmax is the target class, for every kind of target', () => {
    for (const targets of [new Uint8Array([0, 1, 1, 2]), new Int32Array([0, 1, 1, 2]), oneHot([0, 1, 1, 2], 3)]) {
      expect(accuracy(prediction, targets)).toBe(0.5);
    }
    expect(accuracy(prediction, new Uint8Array([0, 1, 2, 0]))).toBe(1);
    expect(accuracy(prediction, new Uint8Array([1, 0, 0, 1]))).toBe(0);
  });

  it('reads soft targets by their argmax', () => {
    const soft = Tensor.fromArray([
      [0.6, 0.4, 0],
      [0.3, 0.3, 0.4],
      [0, 0.1, 0.9],
      [0.5, 0.2, 0.3],
    ]); // argmax: 0, 2, 2, 0
    expect(accuracy(prediction, soft)).toBe(0.75);
  });

  it('rejects a target count unlike the row count, naming both', () => {
    expect(() => accuracy(prediction, new Uint8Array(3))).toThrow(
      new RangeError('accuracy: expected 4 targets, one per row, found 3'),
    );
  });

  it('is NaN for no rows', () => {
    expect(accuracy(Tensor.zeros([0, 3]), new Uint8Array(0))).toBeNaN();
  });
});
