import type { ImageWindow } from '../backend/backend.js';
import { formatShape, type Shape } from '../shape.js';
import { ShapeError } from '../shape-error.js';

/** A size given as one number (both directions) or as `[height, width]`. */
export type SizePair = number | readonly [number, number];

/**
 * The output length of a convolution or pooling along one dimension: `⌊(size + 2·padding − kernel) / stride⌋ + 1`.
 * @throws {@link ShapeError} when the window does not fit even once
 */
export function convOutputSize(size: number, kernel: number, stride = 1, padding = 0): number {
  checkInteger('convOutputSize', 'size', size, 0);
  checkInteger('convOutputSize', 'kernel', kernel, 1);
  checkInteger('convOutputSize', 'stride', stride, 1);
  checkInteger('convOutputSize', 'padding', padding, 0);
  const span = size + 2 * padding - kernel;
  if (span < 0) {
    throw new ShapeError('convOutputSize', `a window of ${kernel} does not fit in ${size} with padding ${padding}`);
  }
  return Math.floor(span / stride) + 1;
}

/**
 * The {@link ImageWindow} of a `kernel` window every `stride` pixels with `padding` over images of `shape`
 * (`[N, C, H, W]`), checked: sizes are integers in range and the window fits the padded image. `kernelName` names
 * the window size in errors.
 * @internal
 */
export function imageWindow(
  op: string,
  shape: Shape,
  kernel: SizePair,
  stride: SizePair,
  padding: SizePair,
  kernelName = 'kernelSize',
): ImageWindow {
  if (shape.length !== 4) throw new ShapeError(op, `images must be [N, C, H, W], found ${formatShape(shape)}`);
  const [batch, channels, height, width] = shape as [number, number, number, number];
  const [kernelH, kernelW] = pair(op, kernelName, kernel, 1);
  const [strideH, strideW] = pair(op, 'stride', stride, 1);
  const [padH, padW] = pair(op, 'padding', padding, 0);
  if (kernelH > height + 2 * padH || kernelW > width + 2 * padW) {
    throw new ShapeError(
      op,
      `a ${kernelH}×${kernelW} window does not fit a ${height}×${width} image with padding ${padH}×${padW}`,
    );
  }
  return {
    batch,
    channels,
    height,
    width,
    kernelH,
    kernelW,
    strideH,
    strideW,
    padH,
    padW,
    outH: convOutputSize(height, kernelH, strideH, padH),
    outW: convOutputSize(width, kernelW, strideW, padW),
  };
}

/** A size given as one number or as `[height, width]`, checked to be integers ≥ `min`. */
function pair(op: string, name: string, value: SizePair, min: number): [number, number] {
  const [a, b] = typeof value === 'number' ? [value, value] : value;
  if (!Number.isSafeInteger(a) || !Number.isSafeInteger(b) || a < min || b < min) {
    throw new RangeError(`${op}: ${name} must be an integer ≥ ${min} or a pair of them, found ${String(value)}`);
  }
  return [a, b];
}

function checkInteger(op: string, name: string, value: number, min: number): void {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new RangeError(`${op}: ${name} must be an integer ≥ ${min}, found ${value}`);
  }
}
