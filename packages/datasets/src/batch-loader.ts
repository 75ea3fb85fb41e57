import { type Backend, type Random, Tensor } from '@mnist/tensor';
import type { ImageAugmentation } from './augment/image-augmentation.js';
import type { ImageDataset } from './image-dataset.js';
import type { ImageLayout } from './image-layout.js';

/** Options of {@link BatchLoader}. */
export interface BatchLoaderOptions {
  /** Examples per batch (the last batch of an epoch may be smaller unless `dropLast`). */
  batchSize: number;
  /** Visit the examples in a new random order every epoch. Default true, which needs `rng`. */
  shuffle?: boolean;
  /**
   * The seeded generator for the shuffle and the augmentations. The augmentations draw from a stream forked from it
   * at construction, always, so that the shuffle order for a seed is the same with or without `augment`. Required
   * when `shuffle` is on or `augment` is given; the same seed gives the same batches.
   */
  rng?: Random;
  /** `'flat'` for `[batch, height·width]` (default), `'image'` for `[batch, 1, height, width]`. */
  layout?: ImageLayout;
  /** Augmentations applied in order to every batch, in place, after the images are gathered. */
  augment?: ImageAugmentation | readonly ImageAugmentation[];
  /** Skip the last batch of an epoch when it is smaller than `batchSize`. Default false. */
  dropLast?: boolean;
}

/**
 * One mini-batch. Its buffers belong to the {@link BatchLoader} and are overwritten by the next batch of the same
 * size: copy them (`x.clone()`, `y.slice()`) to keep a batch beyond the loop step.
 */
export interface Batch {
  /** The images as floats in `[0, 1]`, `[size, height·width]` or `[size, 1, height, width]`. */
  readonly x: Tensor;
  /** The class index of each image. */
  readonly y: Uint8Array;
  /** Which examples of the dataset are in the batch, in batch order. */
  readonly indices: Int32Array;
  /** The number of examples: `batchSize`, or fewer for the last batch of an epoch. */
  readonly size: number;
}

/**
 * Iterates over a dataset in mini-batches, epoch after epoch, gathering each batch from the compact byte images
 * straight into reusable float buffers: one set of buffers for full batches and one for the smaller last batch, both
 * reused every epoch, so training allocates nothing per batch. Shuffling and augmentation are seeded.
 *
 * One epoch runs at a time: the order and the buffers are the loader's, so starting an epoch ends the previous one,
 * whose iterator then throws if it is resumed (rather than silently yielding batches from the new order).
 *
 * @example
 * ```ts
 * import { CrossEntropy, Momentum, type Sequential, trainStep } from '@mnist/nn';
 * import { Random } from '@mnist/tensor';
 * declare const model: Sequential; // 784 → … → 10, ending in Softmax
 *
 * const { train } = await loadMnist();
 * const loader = new BatchLoader(train, { batchSize: 64, rng: new Random(1), augment: new RandomShift() });
 * const [loss, optimizer] = [new CrossEntropy(), new Momentum({ learningRate: 0.3 })];
 * for (let epoch = 0; epoch < 10; epoch++) {
 *   for (const { x, y } of loader.epoch()) trainStep(model, loss, optimizer, x, y); // x: [64, 784], y: Uint8Array(64)
 * }
 * // or, the same loop: model.compile({ loss, optimizer }); await model.fit(loader, { epochs: 10 });
 * ```
 */
export class BatchLoader implements Iterable<Batch> {
  /** The dataset the batches come from. */
  readonly dataset: ImageDataset;
  /** Examples per full batch. */
  readonly batchSize: number;
  private readonly order: Int32Array;
  private readonly shuffle: boolean;
  private readonly rng: Random | undefined;
  private readonly augmentRng: Random | undefined;
  private readonly augmentations: readonly ImageAugmentation[];
  private readonly layout: ImageLayout;
  private readonly dropLast: boolean;
  private readonly batches = new Map<number, Batch>();
  private placement: Backend | undefined;
  /** Counts the epochs started; an epoch's iterator runs only while it is the latest. */
  private generation = 0;

  /** @throws RangeError for a batch size that is not a positive integer; TypeError when `rng` is needed but missing */
  constructor(dataset: ImageDataset, options: BatchLoaderOptions) {
    const { batchSize } = options;
    if (!Number.isSafeInteger(batchSize) || batchSize < 1) {
      throw new RangeError(`BatchLoader: batchSize must be a positive integer, found ${batchSize}`);
    }
    this.shuffle = options.shuffle ?? true;
    const augment = options.augment;
    this.augmentations =
      augment === undefined ? [] : Array.isArray(augment) ? [...augment] : [augment as ImageAugmentation];
    if ((this.shuffle || this.augmentations.length > 0) && options.rng === undefined) {
      throw new TypeError(
        `BatchLoader: ${this.shuffle ? 'shuffling' : 'augmentation'} needs a seeded generator: pass rng (new Random(seed))${this.shuffle ? ', or shuffle: false' : ''}`,
      );
    }
    this.dataset = dataset;
    this.batchSize = batchSize;
    this.rng = options.rng;
    // Forked whether or not there are augmentations: a fork draws from `rng`, and drawing only when augmenting would
    // make the shuffle order depend on `augment`.
    this.augmentRng = options.rng?.fork();
    this.layout = options.layout ?? 'flat';
    dataset.shape(0, this.layout); // validates the layout
    this.dropLast = options.dropLast ?? false;
    this.order = new Int32Array(dataset.length);
    for (let i = 0; i < this.order.length; i++) this.order[i] = i;
  }

  /**
   * The backend the batches are placed on ({@link BatchLoader.to}); `undefined` (the default) for ordinary memory.
   */
  get backend(): Backend | undefined {
    return this.placement;
  }

  /**
   * Places the batches on `backend` (in its own memory where it has one, so the gather writes them in place and the
   * first layer's kernels read them there), as a model is placed with `model.to(backend)`; `fit` does this for you
   * when the model is placed. Takes effect from the next batch.
   * @returns this loader
   */
  to(backend: Backend | undefined): this {
    this.placement = backend;
    return this;
  }

  /** Batches per epoch. */
  get batchCount(): number {
    const full = Math.floor(this.dataset.length / this.batchSize);
    return this.dropLast || this.dataset.length % this.batchSize === 0 ? full : full + 1;
  }

  /**
   * One pass over the dataset: reshuffles (when shuffling), then yields the batches in turn. Each batch is filled
   * just before it is yielded; its buffers are reused by later batches of the same size.
   *
   * Calling `epoch()` again starts a new epoch and ends this one: resuming this iterator afterwards throws.
   */
  epoch(): Generator<Batch, void, undefined> {
    const generation = ++this.generation;
    if (this.shuffle) (this.rng as Random).shuffle(this.order);
    return this.batchesOf(generation);
  }

  /** The same as {@link BatchLoader.epoch}: `for (const batch of loader)` runs one epoch. */
  [Symbol.iterator](): Iterator<Batch> {
    return this.epoch();
  }

  private *batchesOf(generation: number): Generator<Batch, void, undefined> {
    const n = this.dataset.length;
    for (let start = 0; start < n; start += this.batchSize) {
      this.checkCurrent(generation);
      const size = Math.min(this.batchSize, n - start);
      if (size < this.batchSize && this.dropLast) return;
      const batch = this.buffers(size);
      const { indices, x, y } = batch;
      for (let i = 0; i < size; i++) indices[i] = this.order[start + i];
      this.dataset.gather(indices, x, y);
      for (let a = 0; a < this.augmentations.length; a++) this.augmentations[a].apply(x, this.augmentRng as Random, x);
      yield batch;
    }
    this.checkCurrent(generation);
  }

  /** Throws when a newer epoch has started: it reshuffled the order this one reads and owns the batch buffers. */
  private checkCurrent(generation: number): void {
    if (generation !== this.generation) {
      throw new Error(
        `BatchLoader: epoch ${generation} was resumed after epoch ${this.generation} started; the loader runs one epoch at a time (finish or drop an epoch's iterator before calling epoch() again, or use a second BatchLoader)`,
      );
    }
  }

  private buffers(size: number): Batch {
    let batch = this.batches.get(size);
    if (batch === undefined || batch.x.backend !== this.placement) {
      const x = Tensor.zeros(this.dataset.shape(size, this.layout), this.placement);
      batch = { x, y: new Uint8Array(size), indices: new Int32Array(size), size };
      this.batches.set(size, batch);
    }
    return batch;
  }
}
