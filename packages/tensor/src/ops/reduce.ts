import { formatShape, normalizeAxis, type Shape } from '../shape.js';
import { ShapeError } from '../shape-error.js';
import type { Tensor } from '../tensor.js';
import { checkTensor, outputFor } from './output.js';
import { placementOf, runner } from './placement.js';

/**
 * Sums along one axis (the axis is removed from the shape), or over every element when `axis` is omitted (a scalar of
 * shape `[]`). The bias gradient of a dense layer is `sum(dy, 0)`.
 * @param axis - the axis to reduce; negative counts from the end
 * @param out - where to write; its shape must be the input shape without `axis`
 * @throws {@link ShapeError} when the axis is out of range or `out` has the wrong shape
 */
export function sum(x: Tensor, axis?: number, out?: Tensor): Tensor {
  return reduceSum('sum', x, axis, out, 1);
}

/** The mean along one axis, or over every element when `axis` is omitted. See {@link sum}. */
export function mean(x: Tensor, axis?: number, out?: Tensor): Tensor {
  return reduceSum('mean', x, axis, out, 'mean');
}

function reduceSum(
  op: string,
  x: Tensor,
  axis: number | undefined,
  out: Tensor | undefined,
  factor: 1 | 'mean',
): Tensor {
  const [outer, size, inner, shape] = split(op, x, axis);
  const at = placementOf(op, x, out);
  const y = outputFor(op, shape, out, at);
  const kernels = runner(at);
  kernels.sumAxis(outer, size, inner, x.data, y.data);
  // The mean of nothing is NaN, as in NumPy.
  if (factor === 'mean') kernels.scale(y.size, size === 0 ? Number.NaN : 1 / size, y.data, y.data);
  return y;
}

/**
 * The maximum along one axis, or over every element when `axis` is omitted. NaN propagates.
 * @throws {@link ShapeError} when the reduced axis is empty (the maximum of nothing is undefined)
 */
export function max(x: Tensor, axis?: number, out?: Tensor): Tensor {
  const [outer, size, inner, shape] = split('max', x, axis);
  if (size === 0) throw new ShapeError('max', `cannot reduce an empty axis of ${formatShape(x.shape)}`);
  const at = placementOf('max', x, out);
  const y = outputFor('max', shape, out, at);
  runner(at).maxAxis(outer, size, inner, x.data, y.data);
  return y;
}

/**
 * The index of the first maximum along an axis (default: the last, so `argmax(probabilities)` gives one class per
 * row). Returns integers in an `Int32Array` laid out like the input without that axis.
 * @throws {@link ShapeError} when the axis is empty or `out` has the wrong length
 * @example
 * ```ts
 * argmax(Tensor.fromArray([[0.1, 0.9], [0.8, 0.2]])); // Int32Array [1, 0]
 * ```
 */
export function argmax(x: Tensor, axis = -1, out?: Int32Array): Int32Array {
  const [outer, size, inner] = split('argmax', x, axis);
  if (size === 0) throw new ShapeError('argmax', `cannot reduce an empty axis of ${formatShape(x.shape)}`);
  const result = out ?? new Int32Array(outer * inner);
  if (result.length !== outer * inner) {
    throw new ShapeError('argmax', `out must hold ${outer * inner} indices but has length ${result.length}`);
  }
  const at = placementOf('argmax', x);
  runner(at).argmaxAxis(outer, size, inner, x.data, result);
  return result;
}

/** Views `x` as `[outer, size, inner]` around `axis` and returns the reduced shape. */
function split(op: string, x: Tensor, axis: number | undefined): [number, number, number, Shape] {
  checkTensor(op, 'x', x);
  if (axis === undefined) return [1, x.size, 1, []];
  const a = normalizeAxis(op, axis, x.shape);
  let outer = 1;
  let inner = 1;
  for (let d = 0; d < a; d++) outer *= x.shape[d];
  for (let d = a + 1; d < x.rank; d++) inner *= x.shape[d];
  return [outer, x.shape[a], inner, x.shape.filter((_, d) => d !== a)];
}
