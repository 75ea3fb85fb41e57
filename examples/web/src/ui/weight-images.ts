/**
 * How a first layer's weight tensor reads as square images: tile `t`, pixel `p` is `data[t·tileStride + p·pixelStride]`.
 */
interface Tiles {
  count: number;
  side: number;
  tileStride: number;
  pixelStride: number;
  what: string;
}

/**
 * A `Dense(784, n)` weight `[784, n]` gives each of the n units' 784 input weights as a 28×28 image (the pattern that
 * unit responds to); a `Conv2D(1, f, k)` weight `[f, 1, k, k]` gives the f filters. Anything else has no picture.
 */
function tilesOf(shape: readonly number[]): Tiles | undefined {
  if (shape.length === 2 && shape[0] === 784) {
    const units = shape[1];
    return { count: units, side: 28, tileStride: 1, pixelStride: units, what: `${units} hidden units, 28×28 each` };
  }
  if (shape.length === 4 && shape[1] === 1 && shape[2] === shape[3]) {
    const side = shape[2];
    const what = `${shape[0]} convolution filters, ${side}×${side} each`;
    return { count: shape[0], side, tileStride: side * side, pixelStride: 1, what };
  }
  return undefined;
}

/**
 * Draws the first layer's weights into one canvas, a tile per unit or filter, each scaled by its own largest
 * magnitude: red for positive, blue for negative, white for zero (a diverging scale, so the sign reads at a glance).
 * Called a few times a second while training, so it writes pixels as 32-bit words into one buffer, allocating nothing
 * per pixel.
 * @returns what was drawn, for the caption, or `undefined` when the weight has no picture (the canvas is hidden)
 */
export function drawWeightImages(
  canvas: HTMLCanvasElement,
  shape: readonly number[],
  data: Float32Array,
): string | undefined {
  const tiles = tilesOf(shape);
  canvas.hidden = tiles === undefined;
  if (!tiles) return undefined;
  const { count, side, tileStride, pixelStride } = tiles;
  const columns = Math.min(count, side >= 28 ? 16 : 8);
  const cell = side + 1; // one pixel of gap
  const width = columns * cell - 1;
  const height = Math.ceil(count / columns) * cell - 1;
  // Resizing a canvas clears and reallocates it: only when the shape changes.
  if (canvas.width !== width || canvas.height !== height) {
    canvas.width = width;
    canvas.height = height;
  }
  canvas.dataset.tiles = String(count);
  const image = new ImageData(width, height);
  // RGBA bytes as little-endian words: 0xAABBGGRR.
  const words = new Uint32Array(image.data.buffer);
  words.fill(0xffffffff);
  const pixels = side * side;
  for (let t = 0; t < count; t++) {
    let largest = 0;
    for (let p = 0; p < pixels; p++) largest = Math.max(largest, Math.abs(data[t * tileStride + p * pixelStride]));
    const scale = largest > 0 ? 255 / largest : 0;
    const x0 = (t % columns) * cell;
    const y0 = Math.floor(t / columns) * cell;
    for (let p = 0; p < pixels; p++) {
      const v = data[t * tileStride + p * pixelStride] * scale;
      const fade = 255 - Math.round(Math.abs(v));
      const word =
        v >= 0 ? 0xff000000 | (fade << 16) | (fade << 8) | 0xff : 0xff000000 | (0xff << 16) | (fade << 8) | fade;
      words[(y0 + Math.floor(p / side)) * width + x0 + (p % side)] = word;
    }
  }
  canvas.getContext('2d')?.putImageData(image, 0, 0);
  return tiles.what;
}
