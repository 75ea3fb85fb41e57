import { formatShape, gatherBytes, ShapeError, Tensor } from '@mnist/tensor';
import { type ImageLayout, layoutShape } from './image-layout.js';
import { normalizePixels } from './normalize-pixels.js';

/** What an {@link ImageDataset} is made of. */
export interface ImageDatasetInit {
  /** `length · height · width` pixel bytes, image after image, row-major (as in an IDX file). Not copied. */
  images: Uint8Array;
  /** One class index per image. Not copied. */
  labels: Uint8Array;
  /** Rows per image (28 for MNIST). */
  height: number;
  /** Columns per image (28 for MNIST). */
  width: number;
  /** The number of classes; every label must be below it. Default 10. */
  classCount?: number;
}

/**
 * Labelled grey-scale images kept as compact bytes: MNIST's 60 000 training images cost 47 MB here, against 188 MB
 * as float32. Floats are made on demand: {@link ImageDataset.toTensor} for the whole set, {@link ImageDataset.gather}
 * for a mini-batch written into buffers you reuse (which is what {@link BatchLoader} does).
 *
 * Pixels become `byte / 255` in `[0, 1]`; labels stay class indices (`Uint8Array`), the form losses accept directly.
 *
 * @example
 * ```ts
 * const { train } = await loadMnist();       // from '@mnist/datasets/node'
 * train.length;                               // 60000
 * train.labels[0];                            // 5
 * const x = train.slice(0, 1000).toTensor();  // [1000, 784] floats in [0, 1]
 * ```
 */
export class ImageDataset {
  /** `length · height · width` pixel bytes, image after image, row-major. */
  readonly images: Uint8Array;
  /** The class index of each image. */
  readonly labels: Uint8Array;
  /** The number of images. */
  readonly length: number;
  /** Rows per image. */
  readonly height: number;
  /** Columns per image. */
  readonly width: number;
  /** The number of classes; every label is below it. */
  readonly classCount: number;

  /**
   * Wraps images and labels without copying them, after checking that they fit together.
   * @throws RangeError when the sizes disagree or a label is not below `classCount`
   */
  constructor(init: ImageDatasetInit) {
    const { images, labels, height, width } = init;
    const classCount = init.classCount ?? 10;
    if (!(images instanceof Uint8Array) || !(labels instanceof Uint8Array)) {
      throw new TypeError('ImageDataset: images and labels must be Uint8Arrays');
    }
    for (const [what, value] of [
      ['height', height],
      ['width', width],
      ['classCount', classCount],
    ] as const) {
      if (!Number.isSafeInteger(value) || value < 1) {
        throw new RangeError(`ImageDataset: ${what} must be a positive integer, found ${value}`);
      }
    }
    if (images.length !== labels.length * height * width) {
      throw new RangeError(
        `ImageDataset: ${labels.length} labels need ${labels.length}·${height}·${width} = ${labels.length * height * width} pixel bytes, found ${images.length}`,
      );
    }
    for (let i = 0; i < labels.length; i++) {
      if (labels[i] >= classCount) {
        throw new RangeError(`ImageDataset: labels must be below classCount ${classCount}, found ${labels[i]} at ${i}`);
      }
    }
    this.images = images;
    this.labels = labels;
    this.length = labels.length;
    this.height = height;
    this.width = width;
    this.classCount = classCount;
  }

  /** Pixels per image: `height · width` (784 for MNIST). */
  get imageSize(): number {
    return this.height * this.width;
  }

  /**
   * The shape of `count` images in a layout: `[count, height·width]` (`'flat'`) or `[count, 1, height, width]`
   * (`'image'`).
   */
  shape(count: number, layout: ImageLayout = 'flat'): number[] {
    return layoutShape(layout, count, this.height, this.width);
  }

  /**
   * All images as floats `byte / 255`, in a new tensor of {@link ImageDataset.shape}. This costs four bytes per pixel
   * (188 MB for MNIST's training set); to train, prefer batches with {@link BatchLoader}.
   */
  toTensor(layout: ImageLayout = 'flat'): Tensor {
    const x = new Tensor(new Float32Array(this.images.length), this.shape(this.length, layout));
    normalizePixels(this.images, x.data);
    return x;
  }

  /**
   * Writes the images `indices` into `x` as floats `byte / 255`, and their labels into `y` when given, with no
   * allocation: the `gatherBytes` op of `@mnist/tensor`, which writes `x` in place on the backend it is placed on.
   * This is how a shuffled mini-batch is assembled.
   *
   * @param indices - image numbers in `[0, length)`, repeats allowed
   * @param x - `[indices.length, height·width]` or `[indices.length, 1, height, width]`, overwritten
   * @param y - at least `indices.length` long, overwritten
   * @returns `x`
   * @throws RangeError for an index out of range or a short `y`; {@link ShapeError} when `x` has another shape
   * @example
   * ```ts
   * import { Random, Tensor } from '@mnist/tensor';
   * declare const train: ImageDataset; // 28×28 images
   *
   * const order = shuffledIndices(train.length, new Random(1));
   * const x = Tensor.zeros([64, 784]);
   * const y = new Uint8Array(64);
   * train.gather(order.subarray(0, 64), x, y); // the first batch of the shuffled order
   * ```
   */
  gather(indices: ArrayLike<number>, x: Tensor, y?: Uint8Array): Tensor {
    const count = indices.length;
    if (!(x instanceof Tensor) || !this.holdsBatch(x, count)) {
      throw new ShapeError(
        'ImageDataset.gather',
        `x must have shape ${formatShape(this.shape(count, 'flat'))} or ${formatShape(this.shape(count, 'image'))}, found ${x instanceof Tensor ? formatShape(x.shape) : typeof x}`,
      );
    }
    if (y !== undefined && y.length < count) {
      throw new RangeError(`ImageDataset.gather: y must hold ${count} labels, found ${y.length}`);
    }
    for (let i = 0; i < count; i++) {
      const index = indices[i];
      if (!Number.isInteger(index) || index < 0 || index >= this.length) {
        throw new RangeError(
          `ImageDataset.gather: indices[${i}] must be an integer in [0, ${this.length}), found ${index}`,
        );
      }
    }
    gatherBytes(this.images, indices, x, 255);
    if (y !== undefined) for (let i = 0; i < count; i++) y[i] = this.labels[indices[i]];
    return x;
  }

  /** Whether `x` is `[count, height·width]` or `[count, 1, height, width]`, checked without allocating. */
  private holdsBatch(x: Tensor, count: number): boolean {
    const s = x.shape;
    if (s[0] !== count) return false;
    if (s.length === 2) return s[1] === this.imageSize;
    return s.length === 4 && s[1] === 1 && s[2] === this.height && s[3] === this.width;
  }

  /** Images `[start, end)` as a dataset over the same bytes (no copy). Negative or out-of-range bounds are clamped. */
  slice(start = 0, end = this.length): ImageDataset {
    const from = Math.max(0, Math.min(this.length, Math.trunc(start)));
    const to = Math.max(from, Math.min(this.length, Math.trunc(end)));
    return new ImageDataset({
      images: this.images.subarray(from * this.imageSize, to * this.imageSize),
      labels: this.labels.subarray(from, to),
      height: this.height,
      width: this.width,
      classCount: this.classCount,
    });
  }

  /**
   * The images `indices`, in that order, copied into a new dataset.
   * @throws RangeError for an index out of range
   */
  select(indices: ArrayLike<number>): ImageDataset {
    const size = this.imageSize;
    const images = new Uint8Array(indices.length * size);
    const labels = new Uint8Array(indices.length);
    for (let i = 0; i < indices.length; i++) {
      const index = indices[i];
      if (!Number.isInteger(index) || index < 0 || index >= this.length) {
        throw new RangeError(
          `ImageDataset.select: indices[${i}] must be an integer in [0, ${this.length}), found ${index}`,
        );
      }
      images.set(this.images.subarray(index * size, (index + 1) * size), i * size);
      labels[i] = this.labels[index];
    }
    return new ImageDataset({ images, labels, height: this.height, width: this.width, classCount: this.classCount });
  }
}
