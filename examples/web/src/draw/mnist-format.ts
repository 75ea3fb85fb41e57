/** MNIST's image side, the box its digits are scaled into, and where their centre of mass goes. */
export const MNIST_SIDE = 28;
const BOX = 20;
const CENTRE = MNIST_SIDE / 2;

/**
 * Turns a drawing into an MNIST image, the way the dataset was made (LeCun, Cortes and Burges, "The MNIST database of
 * handwritten digits"): "size normalized to fit in a 20x20 pixel box while preserving their aspect ratio", with "grey
 * levels as a result of the anti-aliasing technique used by the normalization algorithm", then "centered in a 28x28
 * image by computing the center of mass of the pixels, and translating the image so as to position this point at the
 * center of the 28x28 field".
 *
 * Here: the bounding box of every inked pixel is resampled so its longer side is 20 pixels (the shorter one rounded to
 * the nearest pixel), each output pixel the exact area-weighted mean of the input it covers (a box filter, which is
 * the anti-aliasing); the result is then shifted by whole pixels (rounded, halves up) so that its intensity-weighted
 * centre, taking pixel `i` to span `[i, i + 1)`, lands at (14, 14). Whatever the shift pushes past the edge is cut.
 *
 * @param ink - `width × height` ink levels in `[0, 255]`, row-major (0 is paper)
 * @returns the 28×28 grey levels, 0 background to 255 ink, row-major; `undefined` when nothing is inked
 */
export function toMnistFormat(ink: ArrayLike<number>, width: number, height: number): Uint8Array | undefined {
  const box = inkBounds(ink, width, height);
  if (box === undefined) return undefined;
  const sourceWidth = box.right - box.left;
  const sourceHeight = box.bottom - box.top;
  const scale = BOX / Math.max(sourceWidth, sourceHeight);
  const outWidth = Math.max(1, Math.round(sourceWidth * scale));
  const outHeight = Math.max(1, Math.round(sourceHeight * scale));

  // Separable box filter: a weight per (output column, input column), then per (output row, input row). The 2-D area
  // of overlap between an output pixel and an input pixel is the product of the two 1-D overlaps.
  const columns = overlaps(box.left, sourceWidth, outWidth);
  const rows = overlaps(box.top, sourceHeight, outHeight);
  // [sourceHeight rows of the box] × [outWidth]: each input row resampled horizontally.
  const across = new Float64Array(sourceHeight * outWidth);
  for (let y = 0; y < sourceHeight; y++) {
    const row = (box.top + y) * width;
    for (const { out, from, weights } of columns) {
      let sum = 0;
      for (let k = 0; k < weights.length; k++) sum += weights[k] * ink[row + from + k];
      across[y * outWidth + out] = sum;
    }
  }
  // [outHeight] × [outWidth], divided by an output pixel's area in input pixels: the mean over what it covers.
  const area = (sourceWidth / outWidth) * (sourceHeight / outHeight);
  const scaled = new Float64Array(outHeight * outWidth);
  for (const { out, from, weights } of rows) {
    for (let x = 0; x < outWidth; x++) {
      let sum = 0;
      for (let k = 0; k < weights.length; k++) sum += weights[k] * across[(from - box.top + k) * outWidth + x];
      scaled[out * outWidth + x] = sum / area;
    }
  }

  let mass = 0;
  let sumX = 0;
  let sumY = 0;
  for (let y = 0; y < outHeight; y++) {
    for (let x = 0; x < outWidth; x++) {
      const v = scaled[y * outWidth + x];
      mass += v;
      sumX += v * (x + 0.5);
      sumY += v * (y + 0.5);
    }
  }
  const shiftX = Math.round(CENTRE - sumX / mass);
  const shiftY = Math.round(CENTRE - sumY / mass);
  const image = new Uint8Array(MNIST_SIDE * MNIST_SIDE);
  for (let y = 0; y < outHeight; y++) {
    const ty = y + shiftY;
    if (ty < 0 || ty >= MNIST_SIDE) continue;
    for (let x = 0; x < outWidth; x++) {
      const tx = x + shiftX;
      if (tx < 0 || tx >= MNIST_SIDE) continue;
      image[ty * MNIST_SIDE + tx] = Math.min(255, Math.round(scaled[y * outWidth + x]));
    }
  }
  return image;
}

/** The smallest rectangle `[left, right) × [top, bottom)` holding every pixel with ink > 0. */
function inkBounds(
  ink: ArrayLike<number>,
  width: number,
  height: number,
): { left: number; right: number; top: number; bottom: number } | undefined {
  let left = width;
  let right = 0;
  let top = height;
  let bottom = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (ink[y * width + x] > 0) {
        if (x < left) left = x;
        if (x >= right) right = x + 1;
        if (y < top) top = y;
        if (y >= bottom) bottom = y + 1;
      }
    }
  }
  return right === 0 ? undefined : { left, right, top, bottom };
}

/**
 * For each of `outSize` output pixels spread evenly over `size` input pixels starting at `start`: the first input
 * pixel it touches and how much of each input pixel from there it covers (in input pixels, summing to `size/outSize`).
 */
function overlaps(start: number, size: number, outSize: number): { out: number; from: number; weights: number[] }[] {
  const step = size / outSize;
  const result: { out: number; from: number; weights: number[] }[] = [];
  for (let out = 0; out < outSize; out++) {
    const lo = out * step;
    const hi = out === outSize - 1 ? size : (out + 1) * step;
    const first = Math.floor(lo);
    const weights: number[] = [];
    for (let i = first; i < Math.min(size, Math.ceil(hi)); i++) weights.push(Math.min(hi, i + 1) - Math.max(lo, i));
    result.push({ out, from: start + first, weights });
  }
  return result;
}
