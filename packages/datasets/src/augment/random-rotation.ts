import type { Random, Tensor } from '@mnist/tensor';
import type { ImageAugmentation, ImageSizeOptions } from './image-augmentation.js';
import { bilinear, PerImageRunner, type TransformImage, unit } from './per-image-runner.js';

/** Options of {@link RandomRotation}. */
export interface RandomRotationOptions extends ImageSizeOptions {
  /** The largest angle in degrees; each image turns by an angle drawn uniformly from `[−maxDegrees, maxDegrees]`. Default 10. */
  maxDegrees?: number;
}

/**
 * Rotates each image about its centre by a small random angle θ, sampling bilinearly:
 * `out(p) = in(c + R(−θ)·(p − c))` with `c = ((width−1)/2, (height−1)/2)`, reading 0 outside the image.
 *
 * Determinism: the same seed gives bit-identical output on the same JavaScript engine. The angles themselves are
 * exact everywhere (they come from the seeded generator), but `Math.sin` and `Math.cos` are not required to be
 * correctly rounded, so another engine, or another version of one, may differ in the last bit of a coefficient and
 * hence of a pixel. (`RandomShift`, which uses only integer offsets, is bit-identical everywhere.)
 *
 * @example
 * ```ts
 * import type { Random, Tensor } from '@mnist/tensor';
 * declare const batch: Tensor; // [64, 784] or [64, 1, 28, 28], from a BatchLoader
 * declare const rng: Random;
 *
 * const rotate = new RandomRotation({ maxDegrees: 10 });
 * rotate.apply(batch, rng, batch); // in place
 * ```
 */
export class RandomRotation implements ImageAugmentation {
  /** The largest angle in degrees. */
  readonly maxDegrees: number;
  private readonly runner: PerImageRunner;
  private readonly transform: TransformImage;

  /** @throws RangeError when `maxDegrees` is negative or not finite */
  constructor(options: RandomRotationOptions = {}) {
    const maxDegrees = options.maxDegrees ?? 10;
    if (!Number.isFinite(maxDegrees) || maxDegrees < 0) {
      throw new RangeError(`RandomRotation: maxDegrees must be a non-negative number, found ${maxDegrees}`);
    }
    this.maxDegrees = maxDegrees;
    this.runner = new PerImageRunner('RandomRotation', options);
    this.transform = (source, target, offset, _index, channels, height, width, rng) => {
      const theta = (rng.uniform(-maxDegrees, maxDegrees) * Math.PI) / 180;
      const cos = Math.cos(theta);
      const sin = Math.sin(theta);
      const cx = (width - 1) / 2;
      const cy = (height - 1) / 2;
      for (let c = 0; c < channels; c++) {
        const base = c * height * width;
        for (let y = 0; y < height; y++) {
          const ry = y - cy;
          const row = offset + base + y * width;
          for (let x = 0; x < width; x++) {
            const rx = x - cx;
            // The inverse rotation maps each output pixel back to where it comes from.
            const sx = cos * rx + sin * ry + cx;
            const sy = -sin * rx + cos * ry + cy;
            target[row + x] = unit(bilinear(source, base, height, width, sx, sy));
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
