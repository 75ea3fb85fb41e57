import { type Backend, type Shape, shapeSize, shapesEqual, Tensor } from '@mnist/tensor';

/** How many shapes one buffer name keeps views for: a full batch, the last partial one, an evaluation batch, slack. */
const SHAPES_PER_NAME = 4;

/** The array behind each view the pools hand out (see {@link BufferPool.get}). */
const storageOf = new WeakMap<Float32Array, Float32Array>();

/** One name's storage: an array for its largest shape so far, and a view of it for each shape asked for. */
interface Slot {
  storage: Tensor;
  views: Tensor[];
}

/**
 * Named scratch tensors a layer reuses from step to step, so training runs without per-step garbage: a layer's output
 * is its own buffer, overwritten by its next forward pass.
 *
 * Each name owns one array, as large as the largest shape asked for under it so far; every shape is a view of its
 * start. So an epoch's last, smaller batch, or evaluation in batches of another size, costs no memory beyond the
 * largest batch: a convolutional network's buffers are tens of megabytes per set, and a set per batch size used to
 * add up to most of a training run's memory. Two shapes of one name therefore share values: a layer asks for a name
 * once per pass, and the pass overwrites it.
 *
 * Each buffer is placed on the backend the layer computes on (its parameters' backend, or its input's), so that
 * backend's kernels write it in place; after a model moves (`model.to(backend)`), a buffer left on the old backend is
 * replaced at its next use.
 */
export class BufferPool {
  private readonly slots = new Map<string, Slot>();

  /**
   * The buffer called `key` with `shape`, placed on `backend`: pass the backend the layer computes on (its parameters'
   * or its input's `.backend`); omitted, the buffer is in ordinary memory. Its contents are whatever was last written
   * to it, under this shape or another: the same name's shapes share one array. The same tensor object is returned for
   * the same name, shape and backend for as long as the array is not replaced by a larger one.
   */
  get(key: string, shape: Shape, backend?: Backend): Tensor {
    let slot = this.slots.get(key);
    const size = shapeSize(shape);
    if (slot === undefined || slot.storage.backend !== backend || slot.storage.size < size) {
      slot = { storage: Tensor.zeros([size], backend), views: [] };
      this.slots.set(key, slot);
    }
    for (const view of slot.views) if (shapesEqual(view.shape, shape)) return view;
    const data = slot.storage.data.subarray(0, size);
    // A backend frees a block of its memory once the array it handed out is collected, and a view does not keep that
    // array alive by itself: tie the storage's lifetime to the view's, for as long as anyone holds the view.
    storageOf.set(data, slot.storage.data);
    const view = new Tensor(data, shape, backend);
    if (slot.views.length === SHAPES_PER_NAME) slot.views.shift();
    slot.views.push(view);
    return view;
  }
}
