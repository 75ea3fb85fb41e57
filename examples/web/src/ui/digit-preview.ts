/**
 * Paints a 28×28 image of grey levels (0 background, 255 ink) onto a 28×28 canvas, white on black as MNIST's own
 * renderings show it; CSS scales it up with square pixels. The canvas then holds exactly the model's input.
 */
export function paintDigit(canvas: HTMLCanvasElement, pixels: Uint8Array | undefined): void {
  // Kept in CPU memory: a 28×28 canvas gains nothing from the GPU, and reading it back (as tools and tests do) is cheap.
  const context = canvas.getContext('2d', { willReadFrequently: true });
  if (!context) return;
  const image = new ImageData(28, 28);
  for (let i = 0; i < 784; i++) {
    const v = pixels?.[i] ?? 0;
    image.data.set([v, v, v, 255], 4 * i);
  }
  context.putImageData(image, 0, 0);
}
