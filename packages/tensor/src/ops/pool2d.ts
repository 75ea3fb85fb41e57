import { getBackend } from '../backend/current.js';
import { formatShape, type Shape, shapesEqual } from '../shape.js';
import { ShapeError } from '../shape-error.js';
import type { Tensor } from '../tensor.js';
import { convOutputSize, pair } from './im2col.js';
import { checkRank, checkTensor, outputFor } from './output.js';

/** The geometry of a 2-D pooling window. Sizes given as one number apply to both height and width. */
export interface PoolWindow {
  /** Window size, `k` or `[kh, kw]`. */
  poolSize: number | readonly [number, number];
  /** Step between windows. Default: the window size, so windows tile the image without overlap. */
  stride?: number | readonly [number, number];
  /** Padding added on each side, at most half the window size. Default 0. */
  padding?: number | readonly [number, number];
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
  const g = poolGeometry('maxPool2d', x, window);
  const y = outputFor('maxPool2d', g.outputShape, out);
  if (argmax !== undefined && (!(argmax instanceof Int32Array) || argmax.length !== y.size)) {
    throw new ShapeError('maxPool2d', `argmax must be an Int32Array of ${y.size}, found ${describe(argmax)}`);
  }
  const indices = argmax ?? new Int32Array(y.size);
  getBackend().maxPool2d(g.planes, g.h, g.w, g.kh, g.kw, g.sh, g.sw, g.ph, g.pw, x.data, y.data, indices);
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
  const dx = outputFor('maxPool2dBackward', inputShape, out);
  for (let i = 0; i < argmax.length; i++) {
    if (argmax[i] < -1 || argmax[i] >= dx.size) {
      throw new ShapeError('maxPool2dBackward', `argmax[${i}] is ${argmax[i]}, outside an input of ${dx.size}`);
    }
  }
  const kernels = getBackend();
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
  const g = poolGeometry('avgPool2d', x, window);
  const y = outputFor('avgPool2d', g.outputShape, out);
  getBackend().avgPool2d(g.planes, g.h, g.w, g.kh, g.kw, g.sh, g.sw, g.ph, g.pw, x.data, y.data);
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
  const dx = outputFor('avgPool2dBackward', inputShape, out);
  const g = poolGeometry('avgPool2dBackward', dx, window);
  if (!shapesEqual(dy.shape, g.outputShape))
    throw ShapeError.mismatch('avgPool2dBackward', 'dy', g.outputShape, dy.shape);
  const kernels = getBackend();
  kernels.fill(dx.size, 0, dx.data);
  kernels.avgPool2dBackward(g.planes, g.h, g.w, g.kh, g.kw, g.sh, g.sw, g.ph, g.pw, dy.data, dx.data);
  return dx;
}

/**
 * The output shape of pooling `[N, C, H, W]` with `window`: `[N, C, outH, outW]`.
 * @throws {@link ShapeError} when the shape is not 4-D or the window does not fit
 * @throws RangeError when a size is not a positive integer or the padding exceeds half the window
 */
export function poolOutputShape(inputShape: Shape, window: PoolWindow): Shape {
  return geometryOf('poolOutputShape', inputShape, window).outputShape;
}

interface PoolGeometry {
  planes: number;
  h: number;
  w: number;
  kh: number;
  kw: number;
  sh: number;
  sw: number;
  ph: number;
  pw: number;
  outputShape: Shape;
}

function poolGeometry(op: string, x: Tensor, window: PoolWindow): PoolGeometry {
  checkRank(op, 'x', x, 4);
  return geometryOf(op, x.shape, window);
}

function geometryOf(op: string, shape: Shape, window: PoolWindow): PoolGeometry {
  if (shape.length !== 4) throw new ShapeError(op, `x must be [N, C, H, W], found ${formatShape(shape)}`);
  const [n, c, h, w] = shape as [number, number, number, number];
  const [kh, kw] = pair(op, 'poolSize', window.poolSize, 1);
  const [sh, sw] = pair(op, 'stride', window.stride ?? window.poolSize, 1);
  const [ph, pw] = pair(op, 'padding', window.padding ?? 0, 0);
  // PyTorch's rule: with at most half a window of padding, every window holds at least one input position.
  if (2 * ph > kh || 2 * pw > kw) {
    throw new RangeError(`${op}: padding must be at most half the pool size ${kh}×${kw}, found ${ph}×${pw}`);
  }
  if (kh > h + 2 * ph || kw > w + 2 * pw) {
    throw new ShapeError(op, `a ${kh}×${kw} window does not fit a ${h}×${w} image with padding ${ph}×${pw}`);
  }
  const outputShape = [n, c, convOutputSize(h, kh, sh, ph), convOutputSize(w, kw, sw, pw)];
  return { planes: n * c, h, w, kh, kw, sh, sw, ph, pw, outputShape };
}

function describe(value: unknown): string {
  if (value instanceof Int32Array) return `an Int32Array of ${value.length}`;
  return value === null ? 'null' : typeof value === 'object' ? (value.constructor?.name ?? 'an object') : typeof value;
}
