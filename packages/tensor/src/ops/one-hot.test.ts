import { describe, expect, it } from 'vitest';
import { ShapeError } from '../shape-error.js';
import { Tensor } from '../tensor.js';
import { oneHot } from './one-hot.js';

describe('oneHot', () => {
  it('puts a single 1 in column labels[i] of row i, hand-checked', () => {
    const y = oneHot([2, 0, 1, 2], 3);
    expect(y.shape).toEqual([4, 3]);
    expect(y.toArray()).toEqual([
      [0, 0, 1],
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ]);
  });

  it('accepts the Uint8Array of an MNIST label file', () => {
    const labels = new Uint8Array([7, 0, 9]);
    const y = oneHot(labels, 10);
    expect(y.shape).toEqual([3, 10]);
    for (let i = 0; i < 3; i++) {
      for (let c = 0; c < 10; c++) expect(y.get(i, c)).toBe(c === labels[i] ? 1 : 0);
    }
  });

  it('gives [0, classes] for no labels and supports a single class', () => {
    expect(oneHot([], 10).shape).toEqual([0, 10]);
    expect(oneHot([0, 0], 1).toArray()).toEqual([[1], [1]]);
  });

  it('clears a reused out before writing', () => {
    const out = Tensor.full([2, 3], 7);
    expect(oneHot([1, 2], 3, out)).toBe(out);
    expect(out.toArray()).toEqual([
      [0, 1, 0],
      [0, 0, 1],
    ]);
  });

  it.each([-1, 3, 1.5, Number.NaN])('rejects the label %d with a RangeError naming its index and value', (label) => {
    expect(() => oneHot([0, label], 3)).toThrow(RangeError);
    expect(() => oneHot([0, label], 3)).toThrow(`labels[1] must be an integer in [0, 3), found ${label}`);
  });

  it.each([0, -2, 2.5, Number.NaN, Number.POSITIVE_INFINITY])('rejects classes = %d with a RangeError', (classes) => {
    expect(() => oneHot([0], classes)).toThrow(RangeError);
    expect(() => oneHot([0], classes)).toThrow(`found ${classes}`);
  });

  it('rejects an out of the wrong shape with a ShapeError naming both shapes', () => {
    let error: unknown;
    try {
      oneHot([0, 1], 3, Tensor.zeros([3, 2]));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ShapeError);
    expect((error as ShapeError).op).toBe('oneHot');
    expect((error as ShapeError).message).toContain('[2, 3]');
    expect((error as ShapeError).message).toContain('[3, 2]');
  });
});
