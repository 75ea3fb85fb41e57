// The test's own MNIST preprocessing, written apart from the app's (src/draw/mnist-format.ts) to check it: the same
// published recipe, computed the plain way, by integrating each output pixel's rectangle over the input pixels in two
// dimensions at once.

/** 28×28 grey levels from `width × height` ink levels: the bounding box into 20×20, then centred by mass. */
export function referenceMnistFormat(ink: Uint8Array, width: number, height: number): Uint8Array | undefined {
  if (ink.length !== width * height)
    throw new RangeError(`expected ${width}×${height} ink levels, found ${ink.length}`);
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < ink.length; i++) {
    if (ink[i] > 0) {
      xs.push(i % width);
      ys.push(Math.floor(i / width));
    }
  }
  if (xs.length === 0) return undefined;
  const left = Math.min(...xs);
  const top = Math.min(...ys);
  const w = Math.max(...xs) + 1 - left;
  const h = Math.max(...ys) + 1 - top;
  const longer = Math.max(w, h);
  const outW = Math.max(1, Math.round((w * 20) / longer));
  const outH = Math.max(1, Math.round((h * 20) / longer));
  const cellW = w / outW;
  const cellH = h / outH;
  const small: number[][] = [];
  for (let j = 0; j < outH; j++) {
    small.push([]);
    const [y0, y1] = [j * cellH, (j + 1) * cellH];
    for (let i = 0; i < outW; i++) {
      const [x0, x1] = [i * cellW, (i + 1) * cellW];
      let sum = 0;
      for (let y = Math.floor(y0); y < Math.ceil(y1) && y < h; y++) {
        const dy = Math.min(y1, y + 1) - Math.max(y0, y);
        for (let x = Math.floor(x0); x < Math.ceil(x1) && x < w; x++) {
          const dx = Math.min(x1, x + 1) - Math.max(x0, x);
          sum += dx * dy * ink[(top + y) * width + left + x];
        }
      }
      small[j].push(sum / (cellW * cellH));
    }
  }
  let mass = 0;
  let mx = 0;
  let my = 0;
  for (let j = 0; j < outH; j++) {
    for (let i = 0; i < outW; i++) {
      mass += small[j][i];
      mx += small[j][i] * (i + 0.5);
      my += small[j][i] * (j + 0.5);
    }
  }
  const dx = Math.round(14 - mx / mass);
  const dy = Math.round(14 - my / mass);
  const out = new Uint8Array(784);
  for (let j = 0; j < outH; j++) {
    for (let i = 0; i < outW; i++) {
      const [x, y] = [i + dx, j + dy];
      if (x >= 0 && x < 28 && y >= 0 && y < 28) out[y * 28 + x] = Math.min(255, Math.round(small[j][i]));
    }
  }
  return out;
}
