import { gemm, type Random, Tensor } from '@mnist/tensor';
import type { ImageAugmentation, ImageSizeOptions } from './image-augmentation.js';
import { bilinear, PerImageRunner, type PrepareBatch, type TransformImage, unit } from './per-image-runner.js';

/** Options of {@link ElasticDeformation}. */
export interface ElasticDeformationOptions extends ImageSizeOptions {
  /** The scale α of the smoothed displacement field, in pixels. Default 34, Simard et al.'s value for MNIST. */
  alpha?: number;
  /** The standard deviation σ of the Gaussian smoothing, in pixels: larger is smoother. Default 4, Simard et al.'s value. */
  sigma?: number;
}

/**
 * Elastic deformation (Simard, Steinkraus & Platt, "Best practices for convolutional neural networks applied to
 * visual document analysis", ICDAR 2003, §2): draw displacement fields `Δx, Δy` uniform in `[−1, 1]` at every pixel,
 * smooth each with a Gaussian of standard deviation σ, scale by α, then sample `out(x, y) = in(x + Δx, y + Δy)`
 * bilinearly, reading 0 outside the image.
 *
 * The Gaussian (truncated at 3σ, normalised to sum 1, zero beyond the border) is separable: one 1-D pass along rows,
 * one along columns. Each pass is a product with a banded matrix `G[i, j] = g(i − j)`, and the fields of the whole
 * batch are laid out so that each pass is a single `gemm` of the current `@mnist/tensor` backend:
 * `T = F·G_wᵀ` with `F` as `[height·2·batch, width]`, then `D = α·G_h·T` with `T` as `[height, 2·batch·width]`.
 * The buffers grow to the largest batch seen and are reused.
 *
 * Determinism: the same seed gives bit-identical output on the same JavaScript engine with the same `@mnist/tensor`
 * backend. The noise is exact everywhere (integer draws from the seeded generator), but the Gaussian weights come from
 * `Math.exp`, which engines need not round correctly, and the smoothing runs through the installed backend's `gemm`,
 * whose order of summation (blocking, SIMD lanes) is its own: across engines or backends the displacements, and so
 * the pixels, may differ in the last bits.
 *
 * @example
 * ```ts
 * import type { Random, Tensor } from '@mnist/tensor';
 * declare const batch: Tensor; // [64, 1, 28, 28], from a BatchLoader
 * declare const rng: Random;
 *
 * const elastic = new ElasticDeformation({ alpha: 34, sigma: 4 });
 * elastic.apply(batch, rng, batch); // in place
 * ```
 */
export class ElasticDeformation implements ImageAugmentation {
  /** The scale α of the displacement field, in pixels. */
  readonly alpha: number;
  /** The standard deviation σ of the Gaussian smoothing, in pixels. */
  readonly sigma: number;
  private readonly runner: PerImageRunner;
  private readonly transform: TransformImage;
  private readonly prepare: PrepareBatch;
  /** The 1-D Gaussian `g(−r … r)`. */
  private readonly gaussian: Float32Array;
  /** Banded smoothing matrices for the current image size: `[width, width]` and `[height, height]`. */
  private rowSmoothing: Float32Array = new Float32Array(0);
  private columnSmoothing: Float32Array = new Float32Array(0);
  private matrixHeight = 0;
  private matrixWidth = 0;
  /** Uniform noise, then the row-smoothed fields, then the displacements; `[height, 2·batch, width]` each. */
  private noise = new Float32Array(0);
  private rowsSmoothed = new Float32Array(0);
  private displacement = new Float32Array(0);
  private count = 0;

  /** @throws RangeError when `alpha` is negative or `sigma` is not in `(0, 100]` */
  constructor(options: ElasticDeformationOptions = {}) {
    const alpha = options.alpha ?? 34;
    const sigma = options.sigma ?? 4;
    if (!Number.isFinite(alpha) || alpha < 0) {
      throw new RangeError(`ElasticDeformation: alpha must be a non-negative number, found ${alpha}`);
    }
    if (!Number.isFinite(sigma) || sigma <= 0 || sigma > 100) {
      throw new RangeError(`ElasticDeformation: sigma must be a number in (0, 100], found ${sigma}`);
    }
    this.alpha = alpha;
    this.sigma = sigma;
    this.runner = new PerImageRunner('ElasticDeformation', options);

    const radius = Math.ceil(3 * sigma);
    const weights = Array.from({ length: 2 * radius + 1 }, (_, k) =>
      Math.exp(-((k - radius) ** 2) / (2 * sigma * sigma)),
    );
    const total = weights.reduce((sum, w) => sum + w, 0);
    this.gaussian = Float32Array.from(weights, (w) => w / total);

    this.prepare = (count, height, width, rng) => this.displacementFields(count, height, width, rng);
    this.transform = (source, target, offset, index, channels, height, width) => {
      // Image `index` reads its Δx from field `index` and its Δy from field `count + index`, row y of each at
      // `y·stride + field·width`.
      const stride = 2 * this.count * width;
      const dx = index * width;
      const dy = (this.count + index) * width;
      const d = this.displacement;
      const pixels = height * width;
      for (let c = 0; c < channels; c++) {
        const base = c * pixels;
        for (let y = 0; y < height; y++) {
          const row = y * stride;
          const to = offset + base + y * width;
          for (let x = 0; x < width; x++) {
            target[to + x] = unit(bilinear(source, base, height, width, x + d[row + dx + x], y + d[row + dy + x]));
          }
        }
      }
    };
  }

  /** {@inheritDoc ImageAugmentation.apply} */
  apply(images: Tensor, rng: Random, out?: Tensor): Tensor {
    return this.runner.run(images, rng, out, this.transform, this.prepare);
  }

  /** Draws and smooths the `2·count` displacement fields of a batch into `this.displacement`. */
  private displacementFields(count: number, height: number, width: number, rng: Random): void {
    if (height !== this.matrixHeight || width !== this.matrixWidth) {
      this.rowSmoothing = this.banded(width);
      this.columnSmoothing = this.banded(height);
      this.matrixHeight = height;
      this.matrixWidth = width;
    }
    const fields = 2 * count;
    const size = height * fields * width;
    if (this.noise.length < size) {
      this.noise = new Float32Array(size);
      this.rowsSmoothed = new Float32Array(size);
      this.displacement = new Float32Array(size);
    }
    this.count = count;
    // Two uniform values in (−1, 1) from each 32-bit draw: 16 bits of resolution is far finer than the smoothing,
    // which averages hundreds of them, can tell apart.
    const noise = this.noise;
    for (let i = 0; i < size; i += 2) {
      const bits = rng.nextUint32();
      noise[i] = ((bits & 0xffff) + 0.5) / 32768 - 1;
      noise[i + 1] = ((bits >>> 16) + 0.5) / 32768 - 1;
    }
    const rows = new Tensor(noise.subarray(0, size), [height * fields, width]);
    const smoothedRows = new Tensor(this.rowsSmoothed.subarray(0, size), [height * fields, width]);
    // [height·fields, width]·[width, width] → [height·fields, width]: every row of every field, smoothed along x.
    gemm(rows, new Tensor(this.rowSmoothing, [width, width]), smoothedRows);
    // α·[height, height]·[height, fields·width] → [height, fields·width]: every column smoothed along y.
    gemm(
      new Tensor(this.columnSmoothing, [height, height]),
      smoothedRows.reshape([height, fields * width]),
      new Tensor(this.displacement.subarray(0, size), [height, fields * width]),
      { alpha: this.alpha },
    );
  }

  /** The `[n, n]` matrix of the truncated Gaussian, `G[i, j] = g(i − j)`: symmetric, zero outside the band. */
  private banded(n: number): Float32Array {
    const g = this.gaussian;
    const radius = (g.length - 1) >> 1;
    const matrix = new Float32Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = Math.max(0, i - radius); j <= Math.min(n - 1, i + radius); j++)
        matrix[i * n + j] = g[j - i + radius];
    }
    return matrix;
  }
}
