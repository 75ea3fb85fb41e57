import { describe, expect, it } from 'vitest';
import { toMnistFormat } from './mnist-format.js';

/** A `width × height` canvas of zeros with `value(x, y)` written over the rectangle `[x0, x1) × [y0, y1)`. */
function canvas(
  width: number,
  height: number,
  [x0, y0, x1, y1]: [number, number, number, number],
  value: (x: number, y: number) => number = () => 255,
): Uint8Array {
  const ink = new Uint8Array(width * height);
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) ink[y * width + x] = value(x - x0, y - y0);
  return ink;
}

/** The inked rectangle of a 28×28 image, as `[x0, y0, x1, y1)`, and whether every pixel inside has `level`. */
function inkedRectangle(image: Uint8Array, level = 255): { box: number[]; uniform: boolean } {
  let [x0, y0, x1, y1] = [28, 28, 0, 0];
  for (let i = 0; i < image.length; i++) {
    if (image[i] === 0) continue;
    const [x, y] = [i % 28, Math.floor(i / 28)];
    [x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x + 1), Math.max(y1, y + 1)];
  }
  let uniform = true;
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) uniform &&= image[y * 28 + x] === level;
  return { box: [x0, y0, x1, y1], uniform };
}

describe('toMnistFormat', () => {
  it('finds nothing on a blank canvas', () => {
    expect(toMnistFormat(new Uint8Array(50 * 40), 50, 40)).toBeUndefined();
  });

  it('scales a 40×40 square to 20×20 and centres it: rows and columns 4 to 23', () => {
    const image = toMnistFormat(canvas(100, 100, [13, 50, 53, 90]), 100, 100) as Uint8Array;
    expect(inkedRectangle(image)).toEqual({ box: [4, 4, 24, 24], uniform: true });
  });

  it('keeps the aspect ratio: 40×20 becomes 20×10, centred at (14, 14)', () => {
    // Centre of mass (10, 5) in the 20×10 box, so the shift is (4, 9).
    const image = toMnistFormat(canvas(100, 100, [30, 10, 70, 30]), 100, 100) as Uint8Array;
    expect(inkedRectangle(image)).toEqual({ box: [4, 9, 24, 19], uniform: true });
  });

  it('scales a single pixel up to the whole 20×20 box', () => {
    const image = toMnistFormat(canvas(9, 9, [3, 7, 4, 8]), 9, 9) as Uint8Array;
    expect(inkedRectangle(image)).toEqual({ box: [4, 4, 24, 24], uniform: true });
  });

  it('averages the exact area each output pixel covers (30 → 20 columns: 1.5 inputs each)', () => {
    // Columns alternate 90, 30, 30, 90, 30, 30, …: output pixel 0 covers [0, 1.5), (90·1 + 30·0.5) / 1.5 = 70;
    // pixel 1 covers [1.5, 3), (30·0.5 + 30·1) / 1.5 = 30. The centre of mass in x is 9800 / 1000 = 9.8 (pairs of
    // 70 at 2k + 0.5 and 30 at 2k + 1.5), so the shift is round(14 − 9.8) = 4; in y it is 10, so 4.
    const image = toMnistFormat(
      canvas(30, 30, [0, 0, 30, 30], (x) => (x % 3 === 0 ? 90 : 30)),
      30,
      30,
    ) as Uint8Array;
    const row = Array.from(image.subarray(10 * 28, 11 * 28));
    expect(row).toEqual([0, 0, 0, 0, ...Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? 70 : 30)), 0, 0, 0, 0]);
    expect(inkedRectangle(image).box).toEqual([4, 4, 24, 24]);
  });

  it('shifts by the centre of mass, not the box, and cuts what falls off the edge', () => {
    // An L already 20×20 (scale 1): a full top row and a full left column, 39 pixels. Its centre of mass is
    // 209.5 / 39 ≈ 5.37 on both axes, so it moves by round(14 − 5.37) = 9 and the row's last pixel (9 + 19 = 28)
    // falls off the right edge.
    const ink = new Uint8Array(20 * 20);
    for (let i = 0; i < 20; i++) {
      ink[i] = 255;
      ink[i * 20] = 255;
    }
    const image = toMnistFormat(ink, 20, 20) as Uint8Array;
    expect(Array.from(image.subarray(9 * 28, 10 * 28))).toEqual([...new Array(9).fill(0), ...new Array(19).fill(255)]);
    for (let y = 9; y < 28; y++) expect(image[y * 28 + 9]).toBe(255);
    expect(image.reduce((sum, v) => sum + (v > 0 ? 1 : 0), 0)).toBe(19 + 18);
  });
});
