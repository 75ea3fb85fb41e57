import { formatShape, shapesEqual } from './shape.js';
import type { Tensor } from './tensor.js';

/** Tolerances for {@link allClose}: `|a − b| ≤ atol + rtol·|b|`, elementwise (NumPy's rule). */
export interface Tolerance {
  /** Relative tolerance. Default `1e-5`. */
  rtol?: number;
  /** Absolute tolerance. Default `1e-6`. */
  atol?: number;
}

/** The largest `|a[i] − b[i]|` (NaN when exactly one side is NaN at some index). Shapes are not compared. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (Number.isNaN(x) !== Number.isNaN(y)) return Number.NaN;
    if (x === y || Number.isNaN(x)) continue; // equal, equal infinities, or NaN on both sides
    const d = Math.abs(x - y);
    if (d > worst || Number.isNaN(d)) worst = d;
  }
  return worst;
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
      return `element ${i} is ${x}, expected ${y} (atol ${atol}, rtol ${rtol}; max |diff| ${maxAbsDiff(a.data, b.data)})`;
    }
  }
  return undefined;
}
