import { describe, expect, it } from 'vitest';
import { ShapeError } from '../shape-error.js';
import { Tensor } from '../tensor.js';
import { gatherBytes } from './gather-bytes.js';

// Three 2×2 "images", one byte per pixel.
const BYTES = Uint8Array.of(0, 51, 102, 255, 1, 2, 3, 4, 10, 20, 30, 40);

describe('gatherBytes', () => {
  it('gathers rows of bytes into floats divided by 255, in index order', () => {
    const out = gatherBytes(BYTES, [2, 0], Tensor.zeros([2, 4]));
    expect(Array.from(out.data)).toEqual([10, 20, 30, 40, 0, 51, 102, 255].map((b) => Math.fround(b / 255)));
  });

  it('takes the row size from the output, images included, and another divisor', () => {
    const out = gatherBytes(BYTES, [1], Tensor.zeros([1, 1, 2, 2]), 2);
    expect(out.shape).toEqual([1, 1, 2, 2]);
    expect(Array.from(out.data)).toEqual([0.5, 1, 1.5, 2]);
  });

  it('rejects an index that is not a row, a wrong output and a non-finite divisor', () => {
    expect(() => gatherBytes(BYTES, [3], Tensor.zeros([1, 4]))).toThrow(
      'gatherBytes: indices[0] must be an integer in [0, 3), found 3',
    );
    expect(() => gatherBytes(BYTES, [0.5], Tensor.zeros([1, 4]))).toThrow(RangeError);
    expect(() => gatherBytes(BYTES, [0, 1], Tensor.zeros([3, 4]))).toThrow(ShapeError);
    expect(() => gatherBytes(BYTES, [0], Tensor.zeros([1, 4]), Number.NaN)).toThrow(
      'gatherBytes: divisor must be a finite number, found NaN',
    );
  });

  it('gathers nothing for no indices', () => {
    expect(gatherBytes(BYTES, [], Tensor.zeros([0, 4])).size).toBe(0);
  });
});
