import { formatShape } from './format-shape.js';
import { ShapeError } from './shape-error.js';

export { formatShape };

/** The size of each dimension of a tensor, outermost first. `[]` is a scalar. */
export type Shape = readonly number[];

/** The number of elements a shape holds: the product of its dimensions (1 for a scalar). */
export function shapeSize(shape: Shape): number {
  let size = 1;
  for (const d of shape) size *= d;
  return size;
}

/** Whether two shapes are equal dimension by dimension. */
export function shapesEqual(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Checks that every dimension is a non-negative safe integer and returns a frozen copy.
 * @throws {@link ShapeError} naming `op` when a dimension is negative, fractional or not finite
 */
export function checkShape(op: string, shape: Shape): Shape {
  if (!Array.isArray(shape)) throw new ShapeError(op, `a shape must be an array of dimensions, found ${typeof shape}`);
  for (const d of shape) {
    if (!Number.isSafeInteger(d) || d < 0) {
      throw new ShapeError(op, `dimensions must be non-negative integers, found ${formatShape(shape)}`);
    }
  }
  return Object.freeze([...shape]);
}

/**
 * Resolves a possibly negative axis (`-1` is the last) against a rank.
 * @throws {@link ShapeError} when the axis is outside `[-rank, rank)`
 */
export function normalizeAxis(op: string, axis: number, shape: Shape): number {
  const rank = shape.length;
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) {
    throw new ShapeError(
      op,
      `axis must be an integer in [${-rank}, ${rank}) for shape ${formatShape(shape)}, found ${axis}`,
    );
  }
  return axis < 0 ? axis + rank : axis;
}

/**
 * The shape two operands broadcast to under NumPy's rule: align trailing dimensions; each pair must be equal or
 * contain a 1.
 * @throws {@link ShapeError} when a pair of dimensions differs and neither is 1
 */
export function broadcastShapes(op: string, a: Shape, b: Shape): Shape {
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new ShapeError(
        op,
        `shapes ${formatShape(a)} and ${formatShape(b)} do not broadcast (dimension ${i}: ${da} vs ${db})`,
      );
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}
