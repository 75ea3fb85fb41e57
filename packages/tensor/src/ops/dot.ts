import { formatShape, shapesEqual } from '../shape.js';
import { ShapeError } from '../shape-error.js';
import type { Tensor } from '../tensor.js';
import { checkTensor } from './output.js';
import { placementOf, runner } from './placement.js';

/**
 * The sum of elementwise products, `Σ a ⊙ b`, over tensors of equal shape (the Frobenius inner product), computed in
 * float64. `dot(d, d)` is a squared norm.
 * @throws {@link ShapeError} when the shapes differ
 */
export function dot(a: Tensor, b: Tensor): number {
  checkPair('dot', a, b);
  const at = placementOf('dot', a, b);
  return runner(at).dot(a.size, a.data, b.data);
}

/**
 * The mean cross-entropy of rows of probabilities against target distributions:
 * `−(1/rows)·Σᵢ Σⱼ t[i, j]·ln p[i, j]`, where rows are the first dimension. Probabilities are clamped at `1e-30`, so
 * a confident mistake costs about 69 rather than infinity. With one-hot targets this is the mean of `−ln p[i, label]`.
 * @throws {@link ShapeError} when the shapes differ or `p` is a scalar
 */
export function crossEntropy(probabilities: Tensor, targets: Tensor): number {
  checkPair('crossEntropy', probabilities, targets);
  const rows = probabilities.shape[0];
  if (rows === undefined)
    throw new ShapeError('crossEntropy', 'probabilities must have a batch dimension, found a scalar');
  if (rows === 0) return Number.NaN;
  const at = placementOf('crossEntropy', probabilities, targets);
  return runner(at).crossEntropySum(probabilities.size, probabilities.data, targets.data) / rows;
}

function checkPair(op: string, a: Tensor, b: Tensor): void {
  checkTensor(op, 'a', a);
  checkTensor(op, 'b', b);
  if (!shapesEqual(a.shape, b.shape)) {
    throw new ShapeError(
      op,
      `operands must have the same shape, found ${formatShape(a.shape)} and ${formatShape(b.shape)}`,
    );
  }
}
