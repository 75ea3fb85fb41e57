import type { ImageWindow } from '../backend/backend.js';
import type { Shape } from '../shape.js';
import { shapesEqual } from '../shape.js';
import { ShapeError } from '../shape-error.js';
import type { Tensor } from '../tensor.js';
import { imageWindow, type SizePair } from './image-window.js';
import { checkRank, checkTensor, outputFor } from './output.js';
import { placementOf, runner } from './placement.js';

/** The geometry of a 2-D pooling window. Sizes given as one number apply to both height and width. */
export interface PoolWindow {
  /** Window size, `k` or `[kh, kw]`. */
  poolSize: SizePair;
  /** Step between windows. Default: the window size, so windows tile the image without overlap. */
  stride?: SizePair;
  /** Padding added on each side, at most half the window size. Default 0. */
  padding?: SizePair;
}

/**
 * Max pooling of `[N, C, H, W]` images: `y[n, c, oy, ox]` is the maximum of `x[n, c]` over the window at
 * `(oy·sh − ph, ox·sw − pw)`, with padding counting as −∞ (so it is never the maximum). `y` is `[N, C, outH, outW]`
 * with `outH = ⌊(H + 2·ph − kh) / sh⌋ + 1`, likewise `outW`.
 *
 * The backward pass needs where each maximum came from: pass `argmax` (an `Int32Array` of `y.size`) to receive the
 * index into `x.data` of each output's maximum (the first one on ties), then hand it to {@link maxPool2dBackward}.
 * @throws {@link ShapeError} when `x` is not 4-D, the window does not fit, or `out` or `argmax` has the wrong size
 * @throws RangeError when a size is not a positive integer or the padding exceeds half the window
 * @example
 * Halving 28×28 feature maps:
 * ```ts
 * declare const x: Tensor; // [64, 8, 28, 28]
 * const y = maxPool2d(x, { poolSize: 2 }); // [64, 8, 28, 28] → [64, 8, 14, 14]
 * ```
 */
export function maxPool2d(x: Tensor, window: PoolWindow, out?: Tensor, argmax?: Int32Array): Tensor {
  const g = poolWindow('maxPool2d', x, window);
  const at = placementOf('maxPool2d', x, out);
  const y = outputFor('maxPool2d', outputShapeOf(g), out, at);
  if (argmax !== undefined && (!(argmax instanceof Int32Array) || argmax.length !== y.size)) {
    throw new ShapeError('maxPool2d', `argmax must be an Int32Array of ${y.size}, found ${describe(argmax)}`);
  }
  const indices = argmax ?? new Int32Array(y.size);
  runner(at).maxPool2d(g, x.data, y.data, indices);
  return y;
}

/**
 * Max pooling's backward pass: `dx` is zero except at each window's maximum, which receives that window's `dy`
 * (summed where overlapping windows share a maximum). `argmax` is what {@link maxPool2d} wrote.
 * @param inputShape - `[N, C, H, W]` of the pooled input; `dx` (or `out`) has this shape
 * @throws {@link ShapeError} when `argmax` does not match `dy`, or an index lies outside the input
 */
export function maxPool2dBackward(dy: Tensor, argmax: Int32Array, inputShape: Shape, out?: Tensor): Tensor {
  checkTensor('maxPool2dBackward', 'dy', dy);
  if (!(argmax instanceof Int32Array) || argmax.length !== dy.size) {
    throw new ShapeError('maxPool2dBackward', `argmax must be an Int32Array of ${dy.size}, found ${describe(argmax)}`);
  }
  const at = placementOf('maxPool2dBackward', dy, out);
  const dx = outputFor('maxPool2dBackward', inputShape, out, at);
  for (let i = 0; i < argmax.length; i++) {
    if (argmax[i] < -1 || argmax[i] >= dx.size) {
      throw new ShapeError('maxPool2dBackward', `argmax[${i}] is ${argmax[i]}, outside an input of ${dx.size}`);
    }
  }
  const kernels = runner(at);
  kernels.fill(dx.size, 0, dx.data);
  kernels.maxPool2dBackward(dy.size, dy.data, argmax, dx.data);
  return dx;
}

/**
 * Average pooling of `[N, C, H, W]` images: `y[n, c, oy, ox]` is the sum of `x[n, c]` over the window divided by the
 * full window size `kh·kw`. Padding counts as zeros that are included in the count (PyTorch's default
 * `count_include_pad = true`), so a window that overlaps the padding averages toward 0. Shapes as {@link maxPool2d}.
 * @throws {@link ShapeError} when `x` is not 4-D, the window does not fit, or `out` has the wrong shape
 * @throws RangeError when a size is not a positive integer or the padding exceeds half the window
 * @example
 * Averaging 2×2 blocks:
 * ```ts
 * declare const x: Tensor; // [64, 8, 28, 28]
 * const y = avgPool2d(x, { poolSize: 2 }); // [64, 8, 28, 28] → [64, 8, 14, 14]
 * ```
 */
export function avgPool2d(x: Tensor, window: PoolWindow, out?: Tensor): Tensor {
  const g = poolWindow('avgPool2d', x, window);
  const at = placementOf('avgPool2d', x, out);
  const y = outputFor('avgPool2d', outputShapeOf(g), out, at);
  runner(at).avgPool2d(g, x.data, y.data);
  return y;
}

/**
 * Average pooling's backward pass: every input position of window `o` receives `dy[o] / (kh·kw)`, summed over the
 * windows that cover it.
 * @param inputShape - `[N, C, H, W]` of the pooled input; `dx` (or `out`) has this shape
 * @throws {@link ShapeError} when `dy` is not the output shape of `window` on `inputShape`
 */
export function avgPool2dBackward(dy: Tensor, inputShape: Shape, window: PoolWindow, out?: Tensor): Tensor {
  checkTensor('avgPool2dBackward', 'dy', dy);
  const at = placementOf('avgPool2dBackward', dy, out);
  const dx = outputFor('avgPool2dBackward', inputShape, out, at);
  const g = poolWindow('avgPool2dBackward', dx, window);
  const expected = outputShapeOf(g);
  if (!shapesEqual(dy.shape, expected)) throw ShapeError.mismatch('avgPool2dBackward', 'dy', expected, dy.shape);
  const kernels = runner(at);
  kernels.fill(dx.size, 0, dx.data);
  kernels.avgPool2dBackward(g, dy.data, dx.data);
  return dx;
}

/**
 * The output shape of pooling `[N, C, H, W]` with `window`: `[N, C, outH, outW]`.
 * @throws {@link ShapeError} when the shape is not 4-D or the window does not fit
 * @throws RangeError when a size is not a positive integer or the padding exceeds half the window
 */
export function poolOutputShape(inputShape: Shape, window: PoolWindow): Shape {
  return outputShapeOf(windowOf('poolOutputShape', inputShape, window));
}

function poolWindow(op: string, x: Tensor, window: PoolWindow): ImageWindow {
  checkRank(op, 'x', x, 4);
  return windowOf(op, x.shape, window);
}

function windowOf(op: string, shape: Shape, window: PoolWindow): ImageWindow {
  const w = imageWindow(op, shape, window.poolSize, window.stride ?? window.poolSize, window.padding ?? 0, 'poolSize');
  // PyTorch's rule: with at most half a window of padding, every window holds at least one input position.
  if (2 * w.padH > w.kernelH || 2 * w.padW > w.kernelW) {
    throw new RangeError(
      `${op}: padding must be at most half the pool size ${w.kernelH}×${w.kernelW}, found ${w.padH}×${w.padW}`,
    );
  }
  return w;
}

function outputShapeOf(w: ImageWindow): Shape {
  return [w.batch, w.channels, w.outH, w.outW];
}

function describe(value: unknown): string {
  if (value instanceof Int32Array) return `an Int32Array of ${value.length}`;
  return value === null ? 'null' : typeof value === 'object' ? (value.constructor?.name ?? 'an object') : typeof value;
}
