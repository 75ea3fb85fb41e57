import { getBackend } from '../backend/current.js';
import { formatShape, type Shape } from '../shape.js';
import { ShapeError } from '../shape-error.js';
import type { Tensor } from '../tensor.js';
import { checkRank, outputFor } from './output.js';

/** The geometry of a 2-D convolution window. Sizes given as one number apply to both height and width. */
export interface ConvWindow {
  /** Window size, `k` or `[kh, kw]`. */
  kernelSize: number | readonly [number, number];
  /** Step between windows. Default 1. */
  stride?: number | readonly [number, number];
  /** Zeros added on each side. Default 0. */
  padding?: number | readonly [number, number];
}

/**
 * The output length of a convolution or pooling along one dimension: `⌊(size + 2·padding − kernel) / stride⌋ + 1`.
 * @throws {@link ShapeError} when the window does not fit even once
 */
export function convOutputSize(size: number, kernel: number, stride = 1, padding = 0): number {
  checkInteger('convOutputSize', 'size', size, 0);
  checkInteger('convOutputSize', 'kernel', kernel, 1);
  checkInteger('convOutputSize', 'stride', stride, 1);
  checkInteger('convOutputSize', 'padding', padding, 0);
  const span = size + 2 * padding - kernel;
  if (span < 0) {
    throw new ShapeError('convOutputSize', `a window of ${kernel} does not fit in ${size} with padding ${padding}`);
  }
  return Math.floor(span / stride) + 1;
}

/**
 * Unfolds image patches into columns so that a convolution becomes one matrix product per image (Chellapilla et al.,
 * 2006; Caffe's layout). For `x` of shape `[N, C, H, W]` and a `kh × kw` window the result is
 * `[N, C·kh·kw, outH·outW]`, and `weight[outC, C·kh·kw] · col[n]` is image `n`'s output in `[outC, outH·outW]`.
 * Positions in the padding read as 0.
 * @throws {@link ShapeError} when `x` is not 4-D, the window does not fit, or `out` has the wrong shape
 * @example
 * ```ts
 * declare const images: Tensor; // [64, 1, 28, 28]
 * const cols = im2col(images, { kernelSize: 3, padding: 1 }); // [64, 1, 28, 28] → [64, 9, 784]
 * ```
 */
export function im2col(x: Tensor, window: ConvWindow, out?: Tensor): Tensor {
  checkRank('im2col', 'x', x, 4);
  const [n, c, h, w] = x.shape as [number, number, number, number];
  const g = geometry('im2col', h, w, window);
  const colRows = c * g.kh * g.kw;
  const colCols = g.outH * g.outW;
  const y = outputFor('im2col', [n, colRows, colCols], out);
  const kernels = getBackend();
  for (let i = 0; i < n; i++) {
    kernels.im2col(c, h, w, g.kh, g.kw, g.sh, g.sw, g.ph, g.pw, x.data, i * c * h * w, y.data, i * colRows * colCols);
  }
  return y;
}

/**
 * Folds columns back into images, summing where windows overlap: the adjoint of {@link im2col}, which turns the
 * gradient of the columns into the gradient of the input. `out` (or a new tensor) of `imageShape` is overwritten.
 * @param col - `[N, C·kh·kw, outH·outW]`
 * @param imageShape - `[N, C, H, W]` of the image the columns came from
 */
export function col2im(col: Tensor, imageShape: Shape, window: ConvWindow, out?: Tensor): Tensor {
  checkRank('col2im', 'col', col, 3);
  if (imageShape.length !== 4) {
    throw new ShapeError('col2im', `imageShape must be [N, C, H, W], found ${formatShape(imageShape)}`);
  }
  const [n, c, h, w] = imageShape as [number, number, number, number];
  const g = geometry('col2im', h, w, window);
  const colRows = c * g.kh * g.kw;
  const colCols = g.outH * g.outW;
  if (col.shape[0] !== n || col.shape[1] !== colRows || col.shape[2] !== colCols) {
    throw ShapeError.mismatch('col2im', 'col', [n, colRows, colCols], col.shape);
  }
  const y = outputFor('col2im', imageShape, out);
  const kernels = getBackend();
  kernels.fill(y.size, 0, y.data);
  for (let i = 0; i < n; i++) {
    kernels.col2im(c, h, w, g.kh, g.kw, g.sh, g.sw, g.ph, g.pw, col.data, i * colRows * colCols, y.data, i * c * h * w);
  }
  return y;
}

interface Geometry {
  kh: number;
  kw: number;
  sh: number;
  sw: number;
  ph: number;
  pw: number;
  outH: number;
  outW: number;
}

function geometry(op: string, h: number, w: number, window: ConvWindow): Geometry {
  const [kh, kw] = pair(op, 'kernelSize', window.kernelSize, 1);
  const [sh, sw] = pair(op, 'stride', window.stride ?? 1, 1);
  const [ph, pw] = pair(op, 'padding', window.padding ?? 0, 0);
  if (kh > h + 2 * ph || kw > w + 2 * pw) {
    throw new ShapeError(op, `a ${kh}×${kw} window does not fit a ${h}×${w} image with padding ${ph}×${pw}`);
  }
  return { kh, kw, sh, sw, ph, pw, outH: convOutputSize(h, kh, sh, ph), outW: convOutputSize(w, kw, sw, pw) };
}

function checkInteger(op: string, name: string, value: number, min: number): void {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new RangeError(`${op}: ${name} must be an integer ≥ ${min}, found ${value}`);
  }
}

/** A size given as one number or as `[height, width]`, checked to be integers ≥ `min`. @internal */
export function pair(
  op: string,
  name: string,
  value: number | readonly [number, number],
  min: number,
): [number, number] {
  const [a, b] = typeof value === 'number' ? [value, value] : value;
  if (!Number.isSafeInteger(a) || !Number.isSafeInteger(b) || a < min || b < min) {
    throw new RangeError(`${op}: ${name} must be an integer ≥ ${min} or a pair of them, found ${String(value)}`);
  }
  return [a, b];
}
