import type { ImageWindow } from '../../backend/backend.js';
import { type CaseList, expectExact, f32, random } from './harness.js';
import { expectIndependent, type Geometry, labelOf, sizesOf, windowOf } from './image-batch.js';

/**
 * Adds the cases of `im2col`, `col2im` and `addChannelBias`: by hand, then random batches against the reference over
 * strides, paddings and non-square windows, and, for batches of several images, a check that each image comes out as
 * it would alone.
 */
export function addImageCases(list: CaseList): void {
  addHandColumnCases(list);
  const windows: Geometry[] = [
    [1, 1, 5, 5, 3, 3, 1, 1, 0, 0],
    [1, 2, 6, 7, 3, 3, 1, 1, 1, 1],
    [1, 3, 8, 8, 2, 2, 2, 2, 0, 0],
    [1, 2, 7, 9, 3, 2, 2, 1, 1, 2],
    [1, 1, 28, 28, 5, 5, 1, 1, 2, 2],
    [3, 2, 6, 7, 3, 3, 1, 1, 1, 1],
    [2, 3, 7, 9, 3, 2, 2, 1, 1, 2],
    [4, 1, 28, 28, 5, 5, 1, 1, 2, 2],
  ];
  for (const geometry of windows) addRandomColumnCases(list, windowOf(geometry));
  addChannelBiasCases(list);
}

function addHandColumnCases(list: CaseList): void {
  const { backend } = list;
  // A 3×3 image through a 2×2 window: each column of the result is one window, read row by row.
  list.add('im2col by hand, 3×3 image, 2×2 window', () => {
    const col = new Float32Array(16);
    backend.im2col(windowOf([1, 1, 3, 3, 2, 2, 1, 1, 0, 0]), f32([1, 2, 3, 4, 5, 6, 7, 8, 9]), col);
    expectExact('col', col, [1, 2, 4, 5, 2, 3, 5, 6, 4, 5, 7, 8, 5, 6, 8, 9]);
  });
  // Two 2×3 images, [[1, 2, 3], [4, 5, 6]] and [[7, 8, 9], [10, 11, 12]], through a 2×2 window: 2 windows each, and
  // the second image's 4 taps × 2 positions follow the first's. Folding the columns back multiplies each pixel by the
  // number of windows that read it ([[1, 2, 1], [1, 2, 1]]), added onto a dx of ones.
  list.add('im2col, col2im by hand, a batch of two 2×3 images, 2×2 window', () => {
    const window = windowOf([2, 1, 2, 3, 2, 2, 1, 1, 0, 0]);
    const col = new Float32Array(16);
    backend.im2col(window, f32([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]), col);
    expectExact('col', col, [1, 2, 2, 3, 4, 5, 5, 6, 7, 8, 8, 9, 10, 11, 11, 12]);
    const dx = new Float32Array(12).fill(1);
    backend.col2im(window, col, dx);
    expectExact('dx', dx, [2, 5, 4, 5, 11, 7, 8, 17, 10, 11, 23, 13]);
  });
}

function addRandomColumnCases(list: CaseList, window: ImageWindow): void {
  const { rtol } = list;
  const { image, columns } = sizesOf(window);
  const [images, cols] = [window.batch * image, window.batch * columns];
  const label = labelOf(window);
  list.add(`im2col ${label}`, (rng) => {
    // The images start 3 floats into their array: a view, as a caller passes a slice of a larger batch.
    const x = random(rng, 3 + images).subarray(3);
    list.compare('col', 0, cols, (k, out) => k.im2col(window, x, out));
  });
  list.add(`col2im ${label}`, (rng) => {
    const col = random(rng, cols);
    const start = random(rng, images);
    list.compare('dx', rtol, images, (k, out) => {
      out.set(start);
      k.col2im(window, col, out);
    });
  });
  if (window.batch === 1) return;
  list.add(`im2col, col2im: images of a batch are independent, ${label}`, (rng) => {
    const x = random(rng, images);
    expectIndependent(list.backend, window, {
      what: 'columns',
      input: x,
      inputPerImage: image,
      start: new Float32Array(cols),
      outputPerImage: columns,
      run: (k, w, input, output) => k.im2col(w, input, output),
    });
    expectIndependent(list.backend, window, {
      what: 'dx',
      input: random(rng, cols),
      inputPerImage: columns,
      start: random(rng, images),
      outputPerImage: image,
      run: (k, w, input, output) => k.col2im(w, input, output),
    });
  });
}

function addChannelBiasCases(list: CaseList): void {
  list.add('addChannelBias by hand, in place', () => {
    const x = f32([1, 2, 3, 4, 5, 6, 7, 8]);
    list.backend.addChannelBias(2, 2, 2, x, f32([10, 20]), x);
    expectExact('addChannelBias', x, [11, 12, 23, 24, 15, 16, 27, 28]);
  });
  for (const [batch, channels, spatial] of [
    [3, 4, 5],
    [4, 6, 30],
  ] as const) {
    list.add(`addChannelBias [${batch}, ${channels}, ${spatial}]`, (rng) => {
      const n = batch * channels * spatial;
      const x = random(rng, n);
      const bias = random(rng, channels);
      list.compare('out', 0, n, (k, out) => k.addChannelBias(batch, channels, spatial, x, bias, out));
    });
  }
}
