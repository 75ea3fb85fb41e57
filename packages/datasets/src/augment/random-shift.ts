import type { Random, Tensor } from '@mnist/tensor';
import type { ImageAugmentation, ImageSizeOptions } from './image-augmentation.js';
import { PerImageRunner, type TransformImage, unit } from './per-image-runner.js';

/** Options of {@link RandomShift}. */
export interface RandomShiftOptions extends ImageSizeOptions {
  /** The largest shift in pixels along each axis; each image moves by whole pixels in `[−maxShift, maxShift]`. Default 2. */
  maxShift?: number;
}

/**
 * Moves each image by a random whole number of pixels, `dx` and `dy` drawn independently and uniformly from
 * `[−maxShift, maxShift]`: `out(x, y) = in(x − dx, y − dy)`, with 0 (background) where the source falls outside.
 * Whole pixels keep the strokes sharp and cost one copy per pixel.
 *
 * @example
 * ```ts
 * import type { Random, Tensor } from '@mnist/tensor';
 * declare const batch: Tensor; // [64, 784], from a BatchLoader
 * declare const rng: Random;
 *
 * const shift = new RandomShift({ maxShift: 2 });
 * shift.apply(batch, rng, batch); // in place
 * ```
 */
export class RandomShift implements ImageAugmentation {
  /** The largest shift in pixels along each axis. */
  readonly maxShift: number;
  private readonly runner: PerImageRunner;
  private readonly transform: TransformImage;

  /** @throws RangeError when `maxShift` is not a non-negative integer */
  constructor(options: RandomShiftOptions = {}) {
    const maxShift = options.maxShift ?? 2;
    if (!Number.isSafeInteger(maxShift) || maxShift < 0) {
      throw new RangeError(`RandomShift: maxShift must be a non-negative integer, found ${maxShift}`);
    }
    this.maxShift = maxShift;
    this.runner = new PerImageRunner('RandomShift', options);
    this.transform = (source, target, offset, _index, channels, height, width, rng) => {
      const dx = rng.int(2 * maxShift + 1) - maxShift;
      const dy = rng.int(2 * maxShift + 1) - maxShift;
      for (let c = 0; c < channels; c++) {
        const base = c * height * width;
        for (let y = 0; y < height; y++) {
          const sy = y - dy;
          const row = offset + base + y * width;
          if (sy < 0 || sy >= height) {
            target.fill(0, row, row + width);
            continue;
          }
          const sourceRow = base + sy * width;
          for (let x = 0; x < width; x++) {
            const sx = x - dx;
            target[row + x] = sx < 0 || sx >= width ? 0 : unit(source[sourceRow + sx]);
          }
        }
      }
    };
  }

  /** {@inheritDoc ImageAugmentation.apply} */
  apply(images: Tensor, rng: Random, out?: Tensor): Tensor {
    return this.runner.run(images, rng, out, this.transform);
  }
}
