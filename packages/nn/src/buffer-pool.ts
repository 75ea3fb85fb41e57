import { type Backend, type Shape, shapesEqual, Tensor } from '@mnist/tensor';

/** How many shapes one buffer name keeps: a full batch and the last, smaller one of an epoch, plus slack. */
const SHAPES_PER_NAME = 4;

/**
 * Named scratch tensors a layer reuses from step to step. A name keeps a few shapes (an epoch's full batches and its
 * last, partial one), so alternating batch sizes allocate nothing after the first epoch. This is how training runs
 * without per-step garbage: a layer's output is its own buffer, overwritten by its next forward pass.
 *
 * Each buffer is placed on the backend the layer computes on (its parameters' backend, or its input's), so that
 * backend's kernels write it in place; after a model moves (`model.to(backend)`), a buffer left on the old backend is
 * replaced at its next use.
 */
export class BufferPool {
  private readonly buffers = new Map<string, Tensor[]>();

  /**
   * The buffer called `key` with `shape`, placed on `backend`: pass the backend the layer computes on (its parameters'
   * or its input's `.backend`); omitted, the buffer is in ordinary memory. Its contents are whatever was last written
   * to it.
   */
  get(key: string, shape: Shape, backend?: Backend): Tensor {
    let list = this.buffers.get(key);
    if (!list) {
      list = [];
      this.buffers.set(key, list);
    }
    for (let i = 0; i < list.length; i++) {
      const buffer = list[i];
      if (!shapesEqual(buffer.shape, shape)) continue;
      if (buffer.backend === backend) return buffer;
      list.splice(i, 1);
      break;
    }
    const created = Tensor.zeros(shape, backend);
    if (list.length === SHAPES_PER_NAME) list.shift();
    list.push(created);
    return created;
  }
}
