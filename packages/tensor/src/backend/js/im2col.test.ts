import { describe, expect, it } from 'vitest';
import { Random } from '../../random.js';
import { col2im, im2col } from './im2col.js';

const SENTINEL = -7777;

describe('im2col kernel', () => {
  it('reads one image at xOffset and writes only its column block at colOffset', () => {
    // Two 1-channel 3×3 images back to back; unfold the second (offset 9) with a 2×2 window into the middle of a
    // sentinel-filled array.
    const x = Float32Array.from({ length: 18 }, (_, i) => i);
    const col = new Float32Array(5 + 16 + 5).fill(SENTINEL);
    im2col(1, 3, 3, 2, 2, 1, 1, 0, 0, x, 9, col, 5);
    // Image 2 is [[9, 10, 11], [12, 13, 14], [15, 16, 17]].
    // biome-ignore format: the column matrix as rows
    expect(Array.from(col)).toEqual([
      ...new Array(5).fill(SENTINEL),
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
    im2col(1, 2, 2, 3, 3, 1, 1, 1, 1, x, 0, col, 0);
    expect(col.every((v) => !Number.isNaN(v))).toBe(true);
    // The centre tap (1, 1) reads the image itself.
    expect(Array.from(col.subarray(4 * 4, 5 * 4))).toEqual([1, 2, 3, 4]);
    // The corner tap (0, 0) only sees the image at output (1, 1).
    expect(Array.from(col.subarray(0, 4))).toEqual([0, 0, 0, 1]);
  });
});

describe('col2im kernel', () => {
  it('adds onto dx at dxOffset and touches nothing else', () => {
    const col = new Float32Array(4 * 4).fill(1);
    const dx = new Float32Array(3 + 9 + 3).fill(10);
    col2im(1, 3, 3, 2, 2, 1, 1, 0, 0, col, 0, dx, 3);
    // biome-ignore format: the image as rows
    expect(Array.from(dx)).toEqual([
      10, 10, 10,
      11, 12, 11,
      12, 14, 12,
      11, 12, 11,
      10, 10, 10,
    ]);
  });

  it('reads its column block from colOffset', () => {
    const rng = new Random(1);
    const col = Float32Array.from({ length: 7 + 2 * 9 * 4 }, () => rng.uniform(-1, 1));
    const atOffset = new Float32Array(2 * 16);
    col2im(2, 4, 4, 3, 3, 1, 1, 0, 0, col, 7, atOffset, 0);
    const copied = new Float32Array(2 * 16);
    col2im(2, 4, 4, 3, 3, 1, 1, 0, 0, col.slice(7), 0, copied, 0);
    expect(Array.from(atOffset)).toEqual(Array.from(copied));
    expect(atOffset.some((v) => v !== 0)).toBe(true);
  });
});
