import { describe, expect, it } from 'vitest';
import { Random } from '../random.js';
import type { Shape } from '../shape.js';
import { ShapeError } from '../shape-error.js';
import { Tensor } from '../tensor.js';
import { type ConvWindow, col2im, im2col } from './im2col.js';
import { convOutputSize } from './image-window.js';

interface Geometry {
  kh: number;
  kw: number;
  sh: number;
  sw: number;
  ph: number;
  pw: number;
}

const pair = (v: number | readonly [number, number] | undefined, fallback: number): [number, number] =>
  v === undefined ? [fallback, fallback] : typeof v === 'number' ? [v, v] : [v[0], v[1]];

function geometryOf(window: ConvWindow): Geometry {
  const [kh, kw] = pair(window.kernelSize, 1);
  const [sh, sw] = pair(window.stride, 1);
  const [ph, pw] = pair(window.padding, 0);
  return { kh, kw, sh, sw, ph, pw };
}

/** im2col from its definition: `col[n, (c·kh + i)·kw + j, oy·outW + ox] = x[n, c, oy·sh − ph + i, ox·sw − pw + j]`. */
function naiveIm2col(x: Tensor, window: ConvWindow): { shape: number[]; values: number[] } {
  const [batch, channels, height, width] = x.shape as [number, number, number, number];
  const { kh, kw, sh, sw, ph, pw } = geometryOf(window);
  const outH = Math.floor((height + 2 * ph - kh) / sh) + 1;
  const outW = Math.floor((width + 2 * pw - kw) / sw) + 1;
  const values: number[] = [];
  for (let n = 0; n < batch; n++) {
    for (let c = 0; c < channels; c++) {
      for (let i = 0; i < kh; i++) {
        for (let j = 0; j < kw; j++) {
          for (let oy = 0; oy < outH; oy++) {
            for (let ox = 0; ox < outW; ox++) {
              const y = oy * sh - ph + i;
              const xx = ox * sw - pw + j;
              const inside = y >= 0 && y < height && xx >= 0 && xx < width;
              values.push(inside ? x.data[((n * channels + c) * height + y) * width + xx] : 0);
            }
          }
        }
      }
    }
  }
  return { shape: [batch, channels * kh * kw, outH * outW], values };
}

function random(rng: Random, shape: Shape): Tensor {
  const x = Tensor.zeros(shape);
  for (let i = 0; i < x.size; i++) x.data[i] = rng.uniform(-1, 1);
  return x;
}

function dot64(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
  return sum;
}

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a throw');
}

// A 1-channel 3×3 image:  1 2 3
//                         4 5 6
//                         7 8 9
const IMAGE = Tensor.from([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 1, 3, 3]);

describe('im2col: hand-checked', () => {
  it('unfolds a 3×3 image with a 2×2 window, stride 1, into a 4×4 column matrix', () => {
    // Rows are the taps (0,0), (0,1), (1,0), (1,1); columns the output positions (0,0), (0,1), (1,0), (1,1).
    const col = im2col(IMAGE, { kernelSize: 2 });
    expect(col.shape).toEqual([1, 4, 4]);
    expect(col.toArray()).toEqual([
      [
        [1, 2, 4, 5],
        [2, 3, 5, 6],
        [4, 5, 7, 8],
        [5, 6, 8, 9],
      ],
    ]);
  });

  it('reads zeros in the padding, with stride 2 and padding 1', () => {
    // The padded image is 5×5 and the window starts at padded rows/columns 0 and 2, i.e. image rows −1 and 1.
    // Tap (i, j) at output (oy, ox) reads image[2·oy − 1 + i, 2·ox − 1 + j].
    const col = im2col(IMAGE, { kernelSize: 2, stride: 2, padding: 1 });
    expect(col.shape).toEqual([1, 4, 4]);
    expect(col.toArray()).toEqual([
      [
        [0, 0, 0, 5],
        [0, 0, 4, 6],
        [0, 2, 0, 8],
        [1, 3, 7, 9],
      ],
    ]);
  });

  it('stacks channels: rows of channel 1 follow the rows of channel 0', () => {
    // Channel 1 is channel 0 times 10.
    const x = Tensor.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 20, 30, 40, 50, 60, 70, 80, 90], [1, 2, 3, 3]);
    const col = im2col(x, { kernelSize: [3, 3] });
    expect(col.shape).toEqual([1, 18, 1]);
    expect(Array.from(col.data)).toEqual(Array.from(x.data));
  });
});

describe('col2im: hand-checked', () => {
  it('counts how many windows cover each pixel when folding ones', () => {
    const image = col2im(Tensor.ones([1, 4, 4]), [1, 1, 3, 3], { kernelSize: 2 });
    expect(image.shape).toEqual([1, 1, 3, 3]);
    expect(Array.from(image.data)).toEqual([1, 2, 1, 2, 4, 2, 1, 2, 1]);
  });

  it('sums overlapping entries back onto their pixels', () => {
    // Folding im2col(IMAGE) multiplies each pixel by its count: [1·1, 2·2, 3·1, 4·2, 5·4, 6·2, 7·1, 8·2, 9·1].
    const image = col2im(im2col(IMAGE, { kernelSize: 2 }), [1, 1, 3, 3], { kernelSize: 2 });
    expect(Array.from(image.data)).toEqual([1, 4, 3, 8, 20, 12, 7, 16, 9]);
  });

  it('drops the entries that fell in the padding', () => {
    // Each pixel of a 3×3 image is read exactly once by a 2×2 window with stride 2 and padding 1.
    const image = col2im(im2col(IMAGE, { kernelSize: 2, stride: 2, padding: 1 }), [1, 1, 3, 3], {
      kernelSize: 2,
      stride: 2,
      padding: 1,
    });
    expect(Array.from(image.data)).toEqual(Array.from(IMAGE.data));
  });

  it('overwrites a given out instead of adding to it', () => {
    const out = Tensor.full([1, 1, 3, 3], 100);
    expect(col2im(Tensor.ones([1, 4, 4]), [1, 1, 3, 3], { kernelSize: 2 }, out)).toBe(out);
    expect(Array.from(out.data)).toEqual([1, 2, 1, 2, 4, 2, 1, 2, 1]);
  });
});

const GEOMETRIES: [Shape, ConvWindow][] = [
  [[1, 1, 3, 3], { kernelSize: 2 }],
  [[2, 1, 5, 5], { kernelSize: 3, padding: 1 }],
  [[2, 3, 7, 6], { kernelSize: 3, stride: 2 }],
  [[1, 2, 8, 9], { kernelSize: [2, 3], stride: [2, 1], padding: [1, 0] }],
  [[3, 2, 6, 6], { kernelSize: 2, stride: 2 }],
  [[1, 1, 4, 4], { kernelSize: 1, padding: 2 }],
  [[2, 3, 5, 7], { kernelSize: [5, 1], stride: [1, 3], padding: [0, 2] }],
  [[1, 1, 28, 28], { kernelSize: 5, padding: 2 }],
  [[0, 2, 4, 4], { kernelSize: 3 }],
];

describe('im2col and col2im on random data', () => {
  it.each(GEOMETRIES)('im2col matches the definition for %j, %j', (shape, window) => {
    const x = random(new Random(shape.reduce((p, d) => p * 7 + d, 0)), shape);
    const expected = naiveIm2col(x, window);
    const col = im2col(x, window);
    expect(col.shape).toEqual(expected.shape);
    expect(Array.from(col.data)).toEqual(expected.values);
  });

  it.each(GEOMETRIES)('⟨im2col(x), y⟩ = ⟨x, col2im(y)⟩ for %j, %j', (shape, window) => {
    const rng = new Random(shape.reduce((p, d) => p * 11 + d, 1));
    const x = random(rng, shape);
    const colShape = im2col(x, window).shape;
    const y = random(rng, colShape);
    const lhs = dot64(im2col(x, window).data, y.data);
    const rhs = dot64(x.data, col2im(y, shape, window).data);
    expect(Math.abs(lhs - rhs)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(lhs)) * Math.sqrt(y.size + 1));
  });

  it('im2col overwrites a given out, padding included', () => {
    const x = random(new Random(9), [2, 1, 5, 5]);
    const window = { kernelSize: 3, stride: 2, padding: 1 };
    const out = Tensor.full([2, 9, 9], Number.NaN);
    expect(im2col(x, window, out)).toBe(out);
    expect(Array.from(out.data)).toEqual(naiveIm2col(x, window).values);
  });
});

describe('convOutputSize', () => {
  it.each([
    [28, 3, 1, 1, 28],
    [28, 5, 1, 0, 24],
    [28, 2, 2, 0, 14],
    [3, 2, 2, 1, 2],
    [5, 2, 2, 0, 2],
    [4, 4, 1, 0, 1],
    [3, 5, 1, 1, 1],
    [7, 3, 3, 0, 2],
  ])('size %i, kernel %i, stride %i, padding %i → %i', (size, kernel, stride, padding, expected) => {
    expect(convOutputSize(size, kernel, stride, padding)).toBe(expected);
  });

  it('defaults to stride 1 and no padding', () => {
    expect(convOutputSize(10, 3)).toBe(8);
  });

  it('throws a ShapeError when the window does not fit', () => {
    const error = thrown(() => convOutputSize(3, 4));
    expect(error).toBeInstanceOf(ShapeError);
    expect((error as ShapeError).op).toBe('convOutputSize');
    expect(error.message).toContain('4');
    expect(error.message).toContain('3');
  });

  it.each([
    [5, 3, 0, 0],
    [5, 3, -1, 0],
    [5, 0, 1, 0],
    [5, 3, 1, -1],
    [5, 2.5, 1, 0],
  ])('rejects like im2col does: size %s, kernel %s, stride %s, padding %s', (size, kernel, stride, padding) => {
    // im2col throws a RangeError for each of these windows; unchecked, a stride of 0 gives Infinity, a negative stride
    // a negative size and a fractional kernel a fractional size.
    expect(() => convOutputSize(size, kernel, stride, padding)).toThrow(RangeError);
  });
});

describe('im2col and col2im: errors', () => {
  it('im2col rejects an x that is not 4-D, naming its shape', () => {
    const error = thrown(() => im2col(Tensor.zeros([1, 3, 3]), { kernelSize: 2 }));
    expect(error).toBeInstanceOf(ShapeError);
    expect((error as ShapeError).op).toBe('im2col');
    expect(error.message).toContain('[1, 3, 3]');
  });

  it('rejects a window larger than the padded image', () => {
    const error = thrown(() => im2col(IMAGE, { kernelSize: [4, 2] }));
    expect(error).toBeInstanceOf(ShapeError);
    expect(error.message).toContain('4×2');
    expect(error.message).toContain('3×3');
    expect(() => col2im(Tensor.zeros([1, 4, 1]), [1, 1, 1, 1], { kernelSize: 2 })).toThrow(ShapeError);
    // With one row of padding above and below it fits: a 2×2 grid of positions for 4·2 taps.
    expect(im2col(IMAGE, { kernelSize: [4, 2], padding: [1, 0] }).shape).toEqual([1, 8, 4]);
  });

  it.each<[string, ConvWindow]>([
    ['kernelSize', { kernelSize: 0 }],
    ['kernelSize', { kernelSize: [2, 1.5] }],
    ['stride', { kernelSize: 2, stride: 0 }],
    ['stride', { kernelSize: 2, stride: [1, -1] }],
    ['padding', { kernelSize: 2, padding: -1 }],
    ['padding', { kernelSize: 2, padding: Number.NaN }],
  ])('rejects a bad %s with a RangeError naming it: %j', (name, window) => {
    for (const fn of [() => im2col(IMAGE, window), () => col2im(Tensor.zeros([1, 4, 4]), [1, 1, 3, 3], window)]) {
      const error = thrown(fn);
      expect(error).toBeInstanceOf(RangeError);
      expect(error.message).toContain(name);
    }
  });

  it('im2col rejects an out of the wrong shape', () => {
    const error = thrown(() => im2col(IMAGE, { kernelSize: 2 }, Tensor.zeros([1, 4, 5])));
    expect(error).toBeInstanceOf(ShapeError);
    expect(error.message).toContain('[1, 4, 4]');
    expect(error.message).toContain('[1, 4, 5]');
  });

  it('col2im rejects columns of the wrong shape, naming both shapes', () => {
    const error = thrown(() => col2im(Tensor.zeros([1, 4, 5]), [1, 1, 3, 3], { kernelSize: 2 }));
    expect(error).toBeInstanceOf(ShapeError);
    expect((error as ShapeError).op).toBe('col2im');
    expect(error.message).toContain('[1, 4, 4]');
    expect(error.message).toContain('[1, 4, 5]');
    expect(() => col2im(Tensor.zeros([4, 4]), [1, 1, 3, 3], { kernelSize: 2 })).toThrow(ShapeError);
  });

  it('col2im rejects an image shape that is not [N, C, H, W] and an out of the wrong shape', () => {
    const error = thrown(() => col2im(Tensor.zeros([1, 4, 4]), [1, 3, 3], { kernelSize: 2 }));
    expect(error).toBeInstanceOf(ShapeError);
    expect(error.message).toContain('[1, 3, 3]');
    expect(() => col2im(Tensor.zeros([1, 4, 4]), [1, 1, 3, 3], { kernelSize: 2 }, Tensor.zeros([9]))).toThrow(
      ShapeError,
    );
  });

  it('throws a TypeError for a non-tensor', () => {
    expect(() => im2col({} as Tensor, { kernelSize: 1 })).toThrow(TypeError);
    expect(() => col2im(null as unknown as Tensor, [1, 1, 1, 1], { kernelSize: 1 })).toThrow(TypeError);
  });
});
