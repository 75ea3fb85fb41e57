import { formatShape, shapesEqual } from './shape.js';
import { ShapeError } from './shape-error.js';
import { Tensor } from './tensor.js';

/** Tolerances for {@link allClose}: `|a − b| ≤ atol + rtol·|b|`, elementwise (NumPy's rule). */
export interface Tolerance {
  /** Relative tolerance. Default `1e-5`. */
  rtol?: number;
  /** Absolute tolerance. Default `1e-6`. */
  atol?: number;
}

/**
 * The largest elementwise `|a − b|` of two tensors of the same shape, or of two arrays of the same length: the inputs
 * {@link allClose} takes, plus plain arrays. Equal infinities differ by 0, NaN on both sides is skipped, and NaN on
 * one side only makes the result NaN; two empty inputs give 0. For tensors of one shape and a finite `atol ≥ 0`,
 * `maxAbsDiff(a, b) <= atol` is `allClose(a, b, { rtol: 0, atol })`.
 *
 * @throws ShapeError when two tensors differ in shape, or the inputs in length
 * @throws TypeError when an input is neither a `Tensor` nor an array-like of numbers
 * @example
 * ```ts
 * maxAbsDiff(Tensor.from([1, 2, 3]), Tensor.from([1, 2.5, 1])); // 2
 * maxAbsDiff([0, -4], new Float32Array([1, -1])); // 3
 * ```
 */
export function maxAbsDiff(a: Tensor | ArrayLike<number>, b: Tensor | ArrayLike<number>): number {
  if (a instanceof Tensor && b instanceof Tensor && !shapesEqual(a.shape, b.shape)) {
    throw new ShapeError('maxAbsDiff', `a has shape ${formatShape(a.shape)} but b has ${formatShape(b.shape)}`);
  }
  const x = valuesOf(a, 'a');
  const y = valuesOf(b, 'b');
  if (x.length !== y.length) {
    throw new ShapeError('maxAbsDiff', `a has length ${x.length} but b has length ${y.length}`);
  }
  let worst = 0;
  for (let i = 0; i < x.length; i++) {
    const u = x[i];
    const v = y[i];
    if (Number.isNaN(u) !== Number.isNaN(v)) return Number.NaN;
    if (u === v || Number.isNaN(u)) continue; // equal, equal infinities, or NaN on both sides
    const d = Math.abs(u - v);
    if (d > worst || Number.isNaN(d)) worst = d;
  }
  return worst;
}

// A Tensor has no `length`: read as an array-like it would look empty, and every difference would be 0.
function valuesOf(input: Tensor | ArrayLike<number>, name: string): ArrayLike<number> {
  if (input instanceof Tensor) return input.data;
  const length = typeof input === 'object' && input !== null ? input.length : undefined;
  if (!Number.isSafeInteger(length) || (length as number) < 0) {
    throw new TypeError(`maxAbsDiff: ${name} must be a Tensor or an array-like of numbers, found ${describe(input)}`);
  }
  return input;
}

function describe(value: unknown): string {
  if (value === null || typeof value !== 'object') return value === null ? 'null' : typeof value;
  const name = value.constructor?.name;
  // ESM and CommonJS each load their own copy of the package; a Tensor of the other copy fails `instanceof`.
  if (name === 'Tensor') return 'a Tensor from another copy of @mnist/tensor (one loaded by import, one by require?)';
  return `${name ?? 'an object'} (no numeric length)`;
}

/**
 * Whether two tensors have equal shapes and values within tolerance: `|a − b| ≤ atol + rtol·|b|` everywhere. NaNs
 * match NaNs and infinities match infinities of the same sign.
 */
export function allClose(a: Tensor, b: Tensor, tolerance: Tolerance = {}): boolean {
  return closeness(a, b, tolerance) === undefined;
}

/**
 * Throws unless `actual` matches `expected` within tolerance, with a message that names the first differing index,
 * both values and the largest difference. Meant for tests, with any test runner.
 * @throws Error describing the first mismatch
 */
export function assertClose(actual: Tensor, expected: Tensor, tolerance: Tolerance = {}, label = 'tensor'): void {
  const problem = closeness(actual, expected, tolerance);
  if (problem !== undefined) throw new Error(`${label}: ${problem}`);
}

function closeness(a: Tensor, b: Tensor, { rtol = 1e-5, atol = 1e-6 }: Tolerance): string | undefined {
  if (!shapesEqual(a.shape, b.shape))
    return `shape ${formatShape(a.shape)} differs from expected ${formatShape(b.shape)}`;
  for (let i = 0; i < a.size; i++) {
    const x = a.data[i];
    const y = b.data[i];
    if (x === y || (Number.isNaN(x) && Number.isNaN(y))) continue;
    // Unequal values where either is infinite never match: |x − ∞| ≤ rtol·∞ would always hold.
    if (!Number.isFinite(x) || !Number.isFinite(y) || !(Math.abs(x - y) <= atol + rtol * Math.abs(y))) {
      return `element ${i} is ${x}, expected ${y} (atol ${atol}, rtol ${rtol}; max |diff| ${maxAbsDiff(a, b)})`;
    }
  }
  return undefined;
}
