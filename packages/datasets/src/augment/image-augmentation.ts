import type { Random, Tensor } from '@mnist/tensor';

/**
 * A random image transformation applied to a whole batch, each image with its own freshly drawn parameters:
 * {@link RandomShift}, {@link RandomRotation}, {@link ElasticDeformation}, or your own class with this one method.
 *
 * Batches are float images in `[0, 1]` shaped `[batch, height·width]`, `[batch, height, width]` or
 * `[batch, channels, height, width]` (every channel of an image moves together). Outputs are clamped to `[0, 1]`.
 * An augmentation keeps the scratch buffers it needs and allocates nothing per batch once it has seen an image size.
 */
export interface ImageAugmentation {
  /**
   * Transforms every image of `images` into `out`.
   * @param images - the batch
   * @param rng - where the random parameters come from; the same generator state gives the same output (bit for bit
   *   on the same engine and backend; each augmentation says whether it holds across them)
   * @param out - same shape as `images`; may be `images` itself to work in place; allocated when omitted
   * @returns `out`
   */
  apply(images: Tensor, rng: Random, out?: Tensor): Tensor;
}

/** Options shared by the built-in augmentations. */
export interface ImageSizeOptions {
  /**
   * Image height for batches shaped `[batch, height·width]`, where it cannot be read from the shape. Default: the
   * images are square (784 features are 28×28).
   */
  height?: number;
  /** Image width for batches shaped `[batch, height·width]`. Default: the images are square. */
  width?: number;
}
