import { type Backend, formatShape, gatherRows, type Random, Tensor } from '@mnist/tensor';
import type { Targets } from '../losses/loss.js';

/** The number of rows (examples) in targets. @internal */
export function targetCount(targets: Targets): number {
  return targets instanceof Tensor ? (targets.shape[0] ?? 0) : targets.length;
}

/** Checks that inputs and targets describe the same examples. @internal */
export function checkExamples(owner: string, x: Tensor, y: Targets): number {
  if (!(x instanceof Tensor) || x.rank < 1) {
    throw new TypeError(
      `${owner}: x must be a Tensor with a batch dimension, found ${x instanceof Tensor ? formatShape(x.shape) : typeof x}`,
    );
  }
  if (!(y instanceof Tensor || y instanceof Uint8Array || y instanceof Int32Array)) {
    throw new TypeError(
      `${owner}: y must be a Tensor, a Uint8Array or an Int32Array of class indices, found ${typeof y}`,
    );
  }
  const n = x.shape[0];
  if (targetCount(y) !== n) {
    throw new RangeError(`${owner}: x has ${n} examples but y has ${targetCount(y)}`);
  }
  return n;
}

/** Rows `[start, end)` of targets as a view (no copy). @internal */
export function targetRange(y: Targets, start: number, end: number): Targets {
  return y instanceof Tensor ? y.rows(start, end) : y.subarray(start, end);
}

/** One mini-batch for training: inputs and their targets, one row per example. */
export interface TrainingBatch {
  /** Inputs, `[size, ...]`. */
  readonly x: Tensor;
  /** Targets for the rows of `x`. */
  readonly y: Targets;
}

/**
 * Anything that hands out an epoch of mini-batches, such as `BatchLoader` from `@mnist/datasets` (which gathers,
 * normalises and augments batches from compact byte images). {@link Sequential.fit} accepts one in place of tensors.
 * Batches may reuse their buffers from one batch to the next.
 */
export interface BatchSource {
  /** Batches per epoch, when known (for progress reporting). */
  readonly batchCount?: number;
  /** One pass over the data, in the source's order (it shuffles, if it wants to). */
  epoch(): Iterable<TrainingBatch>;
  /**
   * Optional: places the batches on a backend (its own memory, where the model's kernels read them in place).
   * `fit` calls it with the model's backend (`model.to(backend)`) before the first batch.
   */
  to?(backend: Backend | undefined): unknown;
}

/**
 * The batch source behind `fit(x, y)`: shuffles row indices with the model's generator each epoch and gathers each
 * batch into reusable buffers, allocating only for a batch size not seen before. @internal
 */
export class TensorBatches implements BatchSource {
  private readonly order: Int32Array;
  private readonly indices = new Map<number, Int32Array>();
  private readonly xBuffers = new Map<number, Tensor>();
  private readonly yBuffers = new Map<number, Targets>();

  constructor(
    private readonly x: Tensor,
    private readonly y: Targets,
    private readonly batchSize: number,
    private readonly rng: Random | undefined,
    private readonly backend: Backend | undefined,
  ) {
    this.order = Int32Array.from({ length: x.shape[0] }, (_, i) => i);
  }

  /** @inheritdoc */
  get batchCount(): number {
    return Math.ceil(this.order.length / this.batchSize);
  }

  /** @inheritdoc */
  *epoch(): Generator<TrainingBatch> {
    if (this.rng) this.rng.shuffle(this.order);
    const n = this.order.length;
    for (let start = 0; start < n; start += this.batchSize) {
      const size = Math.min(this.batchSize, n - start);
      const indices = this.buffer(this.indices, size, () => new Int32Array(size));
      for (let i = 0; i < size; i++) indices[i] = this.order[start + i];
      yield this.gather(indices);
    }
  }

  private gather(indices: Int32Array): TrainingBatch {
    const size = indices.length;
    const { x, y } = this;
    const xb = this.buffer(this.xBuffers, size, () => Tensor.zeros([size, ...x.shape.slice(1)], this.backend));
    gatherRows(x, indices, xb);
    if (y instanceof Tensor) {
      const yb = this.buffer(this.yBuffers, size, () =>
        Tensor.zeros([size, ...y.shape.slice(1)], this.backend),
      ) as Tensor;
      return { x: xb, y: gatherRows(y, indices, yb) };
    }
    const yb = this.buffer(this.yBuffers, size, () =>
      y instanceof Uint8Array ? new Uint8Array(size) : new Int32Array(size),
    ) as Uint8Array | Int32Array;
    for (let i = 0; i < size; i++) yb[i] = y[indices[i]];
    return { x: xb, y: yb };
  }

  private buffer<T>(cache: Map<number, T>, size: number, create: () => T): T {
    let value = cache.get(size);
    if (value === undefined) {
      value = create();
      cache.set(size, value);
    }
    return value;
  }
}
