import { broadcastShapes, formatShape, type Shape, shapeSize, shapesEqual } from '../shape.js';
import { ShapeError } from '../shape-error.js';
import type { Tensor } from '../tensor.js';
import { checkShapeOf, checkTensor, outputFor } from './output.js';
import { placementOf, runner } from './placement.js';

type BinaryKernel = 'add' | 'sub' | 'mul' | 'div';

/**
 * `a + b`, elementwise, with NumPy broadcasting. Adding a bias row vector `[cols]` to `[rows, cols]` runs on the
 * `addRowVector` kernel; equal shapes on `add`; other broadcasts on a slower strided loop.
 * @param out - where to write the result (may be `a` or `b`); allocated when omitted
 * @throws {@link ShapeError} when the shapes do not broadcast, or `out` has the wrong shape
 * @example
 * ```ts
 * declare const x: Tensor; // [batch, in]
 * declare const weight: Tensor; // [in, out]
 * declare const bias: Tensor; // [out]
 * const y = add(matmul(x, weight), bias); // [batch, out] + [out]
 * ```
 */
export function add(a: Tensor, b: Tensor, out?: Tensor): Tensor {
  return binary('add', a, b, out, (x, y) => x + y);
}

/** `a − b`, elementwise, with broadcasting. See {@link add}. */
export function sub(a: Tensor, b: Tensor, out?: Tensor): Tensor {
  return binary('sub', a, b, out, (x, y) => x - y);
}

/** `a · b` (Hadamard product), elementwise, with broadcasting. See {@link add}. */
export function mul(a: Tensor, b: Tensor, out?: Tensor): Tensor {
  return binary('mul', a, b, out, (x, y) => x * y);
}

/** `a / b`, elementwise, with broadcasting. See {@link add}. */
export function div(a: Tensor, b: Tensor, out?: Tensor): Tensor {
  return binary('div', a, b, out, (x, y) => x / y);
}

/** `α·x`. `out` may be `x`. */
export function scale(x: Tensor, alpha: number, out?: Tensor): Tensor {
  checkTensor('scale', 'x', x);
  const at = placementOf('scale', x, out);
  const y = outputFor('scale', x.shape, out, at);
  runner(at).scale(x.size, alpha, x.data, y.data);
  return y;
}

/** `x + α` for a scalar `α`. `out` may be `x`. */
export function addScalar(x: Tensor, alpha: number, out?: Tensor): Tensor {
  checkTensor('addScalar', 'x', x);
  const at = placementOf('addScalar', x, out);
  const y = outputFor('addScalar', x.shape, out, at);
  runner(at).addScalar(x.size, alpha, x.data, y.data);
  return y;
}

/**
 * Limits every element to `[low, high]`: `out = min(max(x, low), high)`. NaN stays NaN. `out` may be `x`.
 * @throws RangeError when `low > high`
 */
export function clamp(x: Tensor, low: number, high: number, out?: Tensor): Tensor {
  checkTensor('clamp', 'x', x);
  if (!(low <= high)) throw new RangeError(`clamp: low must be ≤ high, found low ${low} and high ${high}`);
  const at = placementOf('clamp', x, out);
  const y = outputFor('clamp', x.shape, out, at);
  runner(at).clamp(x.size, low, high, x.data, y.data);
  return y;
}

/**
 * BLAS axpy, in place: `y ← y + α·x`. The workhorse of optimizers (`θ ← θ − α·g` is `axpy(-α, g, θ)`).
 * @returns `y`
 * @throws {@link ShapeError} when `x` and `y` differ in shape
 */
export function axpy(alpha: number, x: Tensor, y: Tensor): Tensor {
  checkTensor('axpy', 'x', x);
  checkShapeOf('axpy', 'y', y, x.shape);
  const at = placementOf('axpy', x, y);
  runner(at).axpy(x.size, alpha, x.data, y.data);
  return y;
}

/**
 * Adds a row vector to every row: `out[i, j] = x[i, j] + v[j]`, for `x` of any rank whose last dimension is `v`'s
 * length. The forward pass of a bias.
 */
export function addRowVector(x: Tensor, v: Tensor, out?: Tensor): Tensor {
  checkTensor('addRowVector', 'x', x);
  checkTensor('addRowVector', 'v', v);
  const cols = x.shape[x.rank - 1];
  const isRow = v.rank === 1 || (v.rank === 2 && v.shape[0] === 1);
  if (cols === undefined || !isRow || v.size !== cols) {
    throw new ShapeError(
      'addRowVector',
      `v must be a row vector [${cols ?? 'n'}] matching the last dimension of x ${formatShape(x.shape)}, found ${formatShape(v.shape)}`,
    );
  }
  const at = placementOf('addRowVector', x, v, out);
  const y = outputFor('addRowVector', x.shape, out, at);
  runner(at).addRowVector(cols === 0 ? 0 : x.size / cols, cols, x.data, v.data, y.data);
  return y;
}

function binary(
  op: BinaryKernel,
  a: Tensor,
  b: Tensor,
  out: Tensor | undefined,
  fn: (x: number, y: number) => number,
): Tensor {
  checkTensor(op, 'a', a);
  checkTensor(op, 'b', b);
  const at = placementOf(op, a, b, out);
  if (shapesEqual(a.shape, b.shape)) {
    const y = outputFor(op, a.shape, out, at);
    runner(at)[op](a.size, a.data, b.data, y.data);
    return y;
  }
  const shape = broadcastShapes(op, a.shape, b.shape);
  const y = outputFor(op, shape, out, at);
  const cols = a.shape[a.rank - 1] ?? 1;
  const bIsRow = b.size === cols && b.shape[b.rank - 1] === cols;
  if (op === 'add' && cols > 0 && bIsRow && shapesEqual(shape, a.shape)) {
    runner(at).addRowVector(a.size / cols, cols, a.data, b.data, y.data);
    return y;
  }
  broadcastLoop(shape, a, b, y.data, fn);
  return y;
}

/** The strided loop behind general broadcasting: dimensions of size 1 get stride 0. */
function broadcastLoop(shape: Shape, a: Tensor, b: Tensor, out: Float32Array, fn: (x: number, y: number) => number) {
  const rank = shape.length;
  const stridesA = broadcastStrides(a.shape, rank);
  const stridesB = broadcastStrides(b.shape, rank);
  const index = new Array<number>(rank).fill(0);
  const total = shapeSize(shape);
  let ia = 0;
  let ib = 0;
  // Snapshot inputs when `out` aliases one of them, since elements are read after others were written.
  const da = a.data === out ? a.data.slice() : a.data;
  const db = b.data === out ? b.data.slice() : b.data;
  for (let n = 0; n < total; n++) {
    out[n] = fn(da[ia], db[ib]);
    for (let d = rank - 1; d >= 0; d--) {
      index[d]++;
      ia += stridesA[d];
      ib += stridesB[d];
      if (index[d] < shape[d]) break;
      ia -= stridesA[d] * shape[d];
      ib -= stridesB[d] * shape[d];
      index[d] = 0;
    }
  }
}

function broadcastStrides(shape: Shape, rank: number): number[] {
  const strides = new Array<number>(rank).fill(0);
  let stride = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    const target = rank - shape.length + d;
    strides[target] = shape[d] === 1 ? 0 : stride;
    stride *= shape[d];
  }
  return strides;
}
