import { type Shape, shapesEqual, Tensor } from '@mnist/tensor';

/** How many shapes one buffer name keeps: a full batch and the last, smaller one of an epoch, plus slack. */
const SHAPES_PER_NAME = 4;

/**
 * Named scratch tensors a layer reuses from step to step. A name keeps a few shapes (an epoch's full batches and its
 * last, partial one), so alternating batch sizes allocate nothing after the first epoch. This is how training runs
 * without per-step garbage: a layer's output is its own buffer, overwritten by its next forward pass.
 */
export class BufferPool {
  private readonly buffers = new Map<string, Tensor[]>();

  /** The buffer called `key` with `shape`. Its contents are whatever was last written to it. */
  get(key: string, shape: Shape): Tensor {
    let list = this.buffers.get(key);
    if (!list) {
      list = [];
      this.buffers.set(key, list);
    }
    for (const buffer of list) if (shapesEqual(buffer.shape, shape)) return buffer;
    // Resident: the backend's kernels read and write it in place (no copy per step on wasm-simd).
    const created = Tensor.resident(shape);
    if (list.length === SHAPES_PER_NAME) list.shift();
    list.push(created);
    return created;
  }
}
