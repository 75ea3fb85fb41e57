import type { Tensor } from '../tensor.js';
import { outputFor } from './output.js';
import { placementOf, runner } from './placement.js';

/**
 * One-hot encodes class indices: row `i` of the `[labels.length, classes]` result is all zeros except a 1 in column
 * `labels[i]`.
 * @param labels - class indices, such as the `Uint8Array` of an MNIST label file
 * @throws RangeError when `classes` is not a positive integer or a label is not an integer in `[0, classes)`
 * @example
 * ```ts
 * oneHot(new Uint8Array([2, 0]), 3); // [[0, 0, 1], [1, 0, 0]]
 * ```
 */
export function oneHot(labels: ArrayLike<number>, classes: number, out?: Tensor): Tensor {
  if (!Number.isSafeInteger(classes) || classes < 1) {
    throw new RangeError(`oneHot: classes must be a positive integer, found ${classes}`);
  }
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    if (!Number.isInteger(label) || label < 0 || label >= classes) {
      throw new RangeError(`oneHot: labels[${i}] must be an integer in [0, ${classes}), found ${label}`);
    }
  }
  const at = placementOf('oneHot', out);
  const y = outputFor('oneHot', [labels.length, classes], out, at);
  runner(at).oneHot(labels.length, classes, labels, y.data);
  return y;
}
