import { describe, expect, it } from 'vitest';
import { Random } from '../../random.js';
import type { ImageWindow } from '../backend.js';
import { col2im, im2col } from './im2col.js';

const SENTINEL = -7777;

/** One-channel 3×3 images through a 2×2 window, stride 1, no padding: 2×2 outputs. */
const WINDOW_3X3: ImageWindow = {
  batch: 2,
  channels: 1,
  height: 3,
  width: 3,
  kernelH: 2,
  kernelW: 2,
  strideH: 1,
  strideW: 1,
  padH: 0,
  padW: 0,
  outH: 2,
  outW: 2,
};

describe('im2col kernel', () => {
  it('unfolds each image of a batch into its own block of columns and writes nothing past them', () => {
    // Two 1-channel 3×3 images back to back, unfolded into a view in the middle of a sentinel-filled array.
    const x = Float32Array.from({ length: 18 }, (_, i) => i);
    const col = new Float32Array(5 + 32 + 5).fill(SENTINEL);
    im2col(WINDOW_3X3, x, col.subarray(5, 5 + 32));
    // Image 1 is [[0, 1, 2], [3, 4, 5], [6, 7, 8]], image 2 is [[9, 10, 11], [12, 13, 14], [15, 16, 17]].
    // biome-ignore format: the column matrices as rows
    expect(Array.from(col)).toEqual([
      ...new Array(5).fill(SENTINEL),
      0, 1, 3, 4,
      1, 2, 4, 5,
      3, 4, 6, 7,
      4, 5, 7, 8,
      9, 10, 12, 13,
      10, 11, 13, 14,
      12, 13, 15, 16,
      13, 14, 16, 17,
      ...new Array(5).fill(SENTINEL),
    ]);
  });

  it('writes zeros, not leftovers, for the padding', () => {
    const x = Float32Array.from({ length: 4 }, (_, i) => i + 1); // [[1, 2], [3, 4]]
    const col = new Float32Array(9 * 4).fill(Number.NaN);
    // 3×3 window, padding 1, stride 1 → 2×2 outputs, 9 taps.
    const window = { ...WINDOW_3X3, batch: 1, height: 2, width: 2, kernelH: 3, kernelW: 3, padH: 1, padW: 1 };
    im2col(window, x, col);
    expect(col.every((v) => !Number.isNaN(v))).toBe(true);
    // The centre tap (1, 1) reads the image itself.
    expect(Array.from(col.subarray(4 * 4, 5 * 4))).toEqual([1, 2, 3, 4]);
    // The corner tap (0, 0) only sees the image at output (1, 1).
    expect(Array.from(col.subarray(0, 4))).toEqual([0, 0, 0, 1]);
  });
});

describe('col2im kernel', () => {
  it('adds onto dx and touches nothing else', () => {
    const col = new Float32Array(4 * 4).fill(1);
    const dx = new Float32Array(3 + 9 + 3).fill(10);
    col2im({ ...WINDOW_3X3, batch: 1 }, col, dx.subarray(3, 3 + 9));
    // biome-ignore format: the image as rows
    expect(Array.from(dx)).toEqual([
      10, 10, 10,
      11, 12, 11,
      12, 14, 12,
      11, 12, 11,
      10, 10, 10,
    ]);
  });

  it("folds each image's block of columns onto that image only", () => {
    const rng = new Random(1);
    const window = { ...WINDOW_3X3, channels: 2, height: 4, width: 4, kernelH: 3, kernelW: 3 };
    const columns = 2 * 9 * 4;
    const col = Float32Array.from({ length: 2 * columns }, () => rng.uniform(-1, 1));
    const batched = new Float32Array(2 * 32);
    col2im(window, col, batched);
    const single = { ...window, batch: 1 };
    const separately = new Float32Array(2 * 32);
    col2im(single, col.subarray(0, columns), separately.subarray(0, 32));
    col2im(single, col.subarray(columns), separately.subarray(32));
    expect(Array.from(batched)).toEqual(Array.from(separately));
    expect(batched.subarray(32).some((v) => v !== 0)).toBe(true);
  });
});
