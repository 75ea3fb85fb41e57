import { formatShape, shapesEqual, type Tensor } from '@mnist/tensor';
import type { BufferPool } from '../buffer-pool.js';
import type { Targets } from './loss.js';

/**
 * Turns targets into a tensor shaped like the prediction: a tensor is checked and used as is; class indices are
 * checked (one per row) and expanded by `expand` into a reused buffer. @internal
 */
export function targetTensor(
  owner: string,
  prediction: Tensor,
  targets: Targets,
  buffers: BufferPool,
  expand: (labels: Uint8Array | Int32Array, out: Tensor) => Tensor,
): Tensor {
  if (targets instanceof Uint8Array || targets instanceof Int32Array) {
    if (targets.length !== prediction.shape[0]) {
      throw new RangeError(`${owner}: expected ${prediction.shape[0]} labels, one per row, found ${targets.length}`);
    }
    return expand(targets, buffers.get('targets', prediction.shape, prediction.backend));
  }
  if (!shapesEqual(targets.shape, prediction.shape)) {
    throw new RangeError(
      `${owner}: targets must have the prediction's shape ${formatShape(prediction.shape)}, found ${formatShape(targets.shape)}`,
    );
  }
  return targets;
}
