import { formatShape } from './format-shape.js';
import type { Shape } from './shape.js';

/**
 * Thrown when a tensor's shape does not fit an operation. The message names the operation, what it expected and the
 * shapes it was given, e.g. `gemm: op(A) is [2, 3] but op(B) is [4, 5]; inner dimensions 3 and 4 differ`.
 *
 * @example
 * ```ts
 * try {
 *   matmul(Tensor.zeros([2, 3]), Tensor.zeros([4, 5]));
 * } catch (e) {
 *   if (e instanceof ShapeError) console.error(e.op, e.message);
 * }
 * ```
 */
export class ShapeError extends Error {
  /** The operation that rejected its input, such as `gemm` or `reshape`. */
  readonly op: string;

  /**
   * @param op - the operation that rejected its input
   * @param detail - what was expected and what was found, with the shapes involved
   */
  constructor(op: string, detail: string) {
    super(`${op}: ${detail}`);
    this.name = 'ShapeError';
    this.op = op;
  }

  /** Shorthand for the common "expected this shape, found that one" message. */
  static mismatch(op: string, what: string, expected: Shape, found: Shape): ShapeError {
    return new ShapeError(op, `${what} must have shape ${formatShape(expected)} but has ${formatShape(found)}`);
  }
}
