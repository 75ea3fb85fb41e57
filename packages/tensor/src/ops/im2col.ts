import type { ImageWindow } from '../backend/backend.js';
import { type Shape, shapesEqual } from '../shape.js';
import { ShapeError } from '../shape-error.js';
import type { Tensor } from '../tensor.js';
import { imageWindow, type SizePair } from './image-window.js';
import { checkRank, outputFor } from './output.js';
import { placementOf, runner } from './placement.js';

/** The geometry of a 2-D convolution window. Sizes given as one number apply to both height and width. */
export interface ConvWindow {
  /** Window size, `k` or `[kh, kw]`. */
  kernelSize: SizePair;
  /** Step between windows. Default 1. */
  stride?: SizePair;
  /** Zeros added on each side. Default 0. */
  padding?: SizePair;
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
  const w = convWindow('im2col', x.shape, window);
  const at = placementOf('im2col', x, out);
  const y = outputFor('im2col', columnsShape(w), out, at);
  runner(at).im2col(w, x.data, y.data);
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
  const w = convWindow('col2im', imageShape, window);
  const expected = columnsShape(w);
  if (!shapesEqual(col.shape, expected)) throw ShapeError.mismatch('col2im', 'col', expected, col.shape);
  const at = placementOf('col2im', col, out);
  const y = outputFor('col2im', imageShape, out, at);
  const kernels = runner(at);
  kernels.fill(y.size, 0, y.data);
  kernels.col2im(w, col.data, y.data);
  return y;
}

/** The columns `im2col` makes with window `w`: `[N, C·kh·kw, outH·outW]`. */
function columnsShape(w: ImageWindow): Shape {
  return [w.batch, w.channels * w.kernelH * w.kernelW, w.outH * w.outW];
}

function convWindow(op: string, shape: Shape, window: ConvWindow): ImageWindow {
  return imageWindow(op, shape, window.kernelSize, window.stride ?? 1, window.padding ?? 0);
}
