import { argmax, type Tensor } from '@mnist/tensor';
import type { Targets } from '../losses/loss.js';

/**
 * The fraction of rows whose highest-scoring class is the target class, in `[0, 1]`.
 * Targets are class indices or one-hot (or probability) rows, whose argmax is the class.
 * @throws RangeError when the number of targets differs from the number of rows
 * @example
 * ```ts
 * import { accuracy } from '@mnist/nn';
 * import { Tensor } from '@mnist/tensor';
 * accuracy(Tensor.fromArray([[0.9, 0.1], [0.3, 0.7]]), new Uint8Array([0, 0])); // 0.5
 * ```
 */
export function accuracy(prediction: Tensor, targets: Targets): number {
  const predicted = argmax(prediction, -1);
  const labels = classIndices(targets);
  if (labels.length !== predicted.length) {
    throw new RangeError(`accuracy: expected ${predicted.length} targets, one per row, found ${labels.length}`);
  }
  let correct = 0;
  for (let i = 0; i < predicted.length; i++) if (predicted[i] === labels[i]) correct++;
  return predicted.length === 0 ? Number.NaN : correct / predicted.length;
}

/** Class indices from targets: the indices themselves, or the argmax of each one-hot row. @internal */
export function classIndices(targets: Targets): Uint8Array | Int32Array {
  return targets instanceof Uint8Array || targets instanceof Int32Array ? targets : argmax(targets, -1);
}
