import { formatShape, type Random, ShapeError, shapesEqual, Tensor } from '@mnist/tensor';
import type { ImageSizeOptions } from './image-augmentation.js';

/**
 * Writes one transformed image: reads `channels·height·width` values from `source`, writes as many into `target` from
 * `offset`. @internal
 */
export type TransformImage = (
  source: Float32Array,
  target: Float32Array,
  offset: number,
  index: number,
  channels: number,
  height: number,
  width: number,
  rng: Random,
) => void;

/** Runs once per batch before the images, for work shared by the whole batch. @internal */
export type PrepareBatch = (count: number, height: number, width: number, rng: Random) => void;

/**
 * The part every per-image augmentation shares: reading the image geometry from the batch shape, the output buffer,
 * and a copy of each source image so that `out` may be the input itself. @internal
 */
export class PerImageRunner {
  private source = new Float32Array(0);
  private count = 0;
  private channels = 0;
  private height = 0;
  private width = 0;

  constructor(
    private readonly op: string,
    private readonly size: ImageSizeOptions,
  ) {
    for (const key of ['height', 'width'] as const) {
      const value = size[key];
      if (value !== undefined && (!Number.isSafeInteger(value) || value < 1)) {
        throw new RangeError(`${op}: ${key} must be a positive integer, found ${value}`);
      }
    }
  }

  run(images: Tensor, rng: Random, out: Tensor | undefined, transform: TransformImage, prepare?: PrepareBatch): Tensor {
    const { op } = this;
    if (!(images instanceof Tensor)) throw new TypeError(`${op}: images must be a Tensor, found ${typeof images}`);
    this.readGeometry(images.shape);
    const { count, channels, height, width } = this;
    const y = out ?? Tensor.zeros(images.shape);
    if (!shapesEqual(y.shape, images.shape)) {
      throw ShapeError.mismatch(op, 'out', images.shape, y.shape);
    }
    const size = channels * height * width;
    if (this.source.length !== size) this.source = new Float32Array(size);
    const source = this.source;
    const x = images.data;
    prepare?.(count, height, width, rng);
    for (let i = 0; i < count; i++) {
      const offset = i * size;
      for (let j = 0; j < size; j++) source[j] = x[offset + j];
      transform(source, y.data, offset, i, channels, height, width, rng);
    }
    return y;
  }

  /** Sets `count`, `channels`, `height` and `width` from a batch shape (into fields, so nothing is allocated). */
  private readGeometry(shape: readonly number[]): void {
    const { op } = this;
    if (shape.length === 2) {
      const features = shape[1];
      this.height = this.size.height ?? this.size.width ?? Math.round(Math.sqrt(features));
      this.width = this.size.width ?? this.size.height ?? this.height;
      if (this.height * this.width !== features) {
        throw new ShapeError(
          op,
          `a batch ${formatShape(shape)} of flat images needs height·width = ${features}; found ${this.height}·${this.width} (pass height and width)`,
        );
      }
      this.channels = 1;
    } else if (shape.length === 3 || shape.length === 4) {
      this.channels = shape.length === 4 ? shape[1] : 1;
      this.height = shape[shape.length - 2];
      this.width = shape[shape.length - 1];
      if (
        (this.size.height !== undefined && this.size.height !== this.height) ||
        (this.size.width !== undefined && this.size.width !== this.width)
      ) {
        throw new ShapeError(
          op,
          `expected ${this.size.height ?? this.height}×${this.size.width ?? this.width} images, found ${formatShape(shape)}`,
        );
      }
    } else {
      throw new ShapeError(
        op,
        `images must be [batch, height·width], [batch, height, width] or [batch, channels, height, width], found ${formatShape(shape)}`,
      );
    }
    this.count = shape[0];
  }
}

/** Clamps to `[0, 1]`. @internal */
export function unit(value: number): number {
  return Math.max(0, Math.min(1, value));
}

/**
 * Bilinear interpolation of the image at `base` in `source` at the real position `(sx, sy)` (column, row), reading 0
 * outside the image: the background of MNIST-like images. @internal
 */
export function bilinear(
  source: Float32Array,
  base: number,
  height: number,
  width: number,
  sx: number,
  sy: number,
): number {
  const x0 = Math.floor(sx);
  const y0 = Math.floor(sy);
  const fx = sx - x0;
  const fy = sy - y0;
  if (x0 >= 0 && y0 >= 0 && x0 + 1 < width && y0 + 1 < height) {
    const i = base + y0 * width + x0;
    const top = source[i] + fx * (source[i + 1] - source[i]);
    const bottom = source[i + width] + fx * (source[i + width + 1] - source[i + width]);
    return top + fy * (bottom - top);
  }
  if (x0 < -1 || y0 < -1 || x0 >= width || y0 >= height) return 0;
  // On the border: weight the taps that fall inside.
  let value = 0;
  for (let dy = 0; dy <= 1; dy++) {
    const row = y0 + dy;
    if (row < 0 || row >= height) continue;
    const wy = dy === 0 ? 1 - fy : fy;
    for (let dx = 0; dx <= 1; dx++) {
      const col = x0 + dx;
      if (col < 0 || col >= width) continue;
      value += wy * (dx === 0 ? 1 - fx : fx) * source[base + row * width + col];
    }
  }
  return value;
}
