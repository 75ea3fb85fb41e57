import type { Backend, ImageWindow } from '../../backend/backend.js';
import { type CaseList, expectExact, f32, random } from './harness.js';
import { expectIndependent, type Geometry, labelOf, sizesOf, windowOf } from './image-batch.js';

/**
 * Adds the cases of the pooling kernels (`maxPool2d`, `maxPool2dBackward`, `avgPool2d`, `avgPool2dBackward`): by
 * hand, then random batches against the reference, and, for batches of several images, a check that each image comes
 * out as it would alone.
 */
export function addPoolingCases(list: CaseList): void {
  addHandPoolingCases(list);
  const pools: Geometry[] = [
    [1, 1, 4, 4, 2, 2, 2, 2, 0, 0],
    [1, 3, 7, 5, 3, 3, 2, 2, 1, 1],
    [1, 2, 6, 9, 3, 2, 1, 2, 1, 0],
    [1, 4, 5, 5, 2, 2, 1, 1, 1, 1],
    [1, 2, 28, 28, 2, 2, 2, 2, 0, 0],
    [2, 3, 7, 5, 3, 3, 2, 2, 1, 1],
    [3, 2, 6, 9, 3, 2, 1, 2, 1, 0],
    [4, 8, 12, 12, 2, 2, 2, 2, 0, 0],
  ];
  for (const geometry of pools) addRandomPoolingCases(list, windowOf(geometry));
}

function addHandPoolingCases(list: CaseList): void {
  const { backend } = list;
  // A 4×4 image, 2×2 windows with stride 2: [[1, 2, 5, 0], [3, 4, 6, 8], [9, 9, -1, -2], [7, 9, -3, -4]].
  list.add('maxPool2d, maxPool2dBackward by hand: the first maximum wins', () => {
    const x = f32([1, 2, 5, 0, 3, 4, 6, 8, 9, 9, -1, -2, 7, 9, -3, -4]);
    const out = new Float32Array(4);
    const argmax = new Int32Array(4);
    backend.maxPool2d(windowOf([1, 1, 4, 4, 2, 2, 2, 2, 0, 0]), x, out, argmax);
    expectExact('max', out, [4, 8, 9, -1]);
    expectExact('argmax', argmax, [5, 7, 8, 10]);
    const dx = new Float32Array(16).fill(1);
    backend.maxPool2dBackward(4, f32([10, 20, 30, 40]), argmax, dx);
    expectExact('dx', dx, [1, 1, 1, 1, 1, 11, 1, 21, 31, 1, 41, 1, 1, 1, 1, 1]);
  });
  // Padding 1 around [[1, 2], [3, 4]] with 2×2 windows, stride 2: each window holds one pixel. Max pooling ignores
  // the padding even for negative inputs; average pooling divides by all 4 positions.
  list.add('maxPool2d, avgPool2d by hand with padding', () => {
    const padded = windowOf([1, 1, 2, 2, 2, 2, 2, 2, 1, 1]);
    const out = new Float32Array(4);
    const argmax = new Int32Array(4);
    backend.maxPool2d(padded, f32([-1, -2, -3, -4]), out, argmax);
    expectExact('max', out, [-1, -2, -3, -4]);
    expectExact('argmax', argmax, [0, 1, 2, 3]);
    backend.avgPool2d(padded, f32([1, 2, 3, 4]), out);
    expectExact('avg', out, [0.25, 0.5, 0.75, 1]);
    const dx = new Float32Array(4);
    backend.avgPool2dBackward(padded, f32([4, 8, 12, 16]), dx);
    expectExact('dx', dx, [1, 2, 3, 4]);
  });
  // Overlapping 2×2 windows, stride 1, on [[1, 2, 3], [4, 5, 6]]: averages 3 and 4; position 1 is in both.
  list.add('avgPool2d, avgPool2dBackward by hand, overlapping windows', () => {
    const overlapping = windowOf([1, 1, 2, 3, 2, 2, 1, 1, 0, 0]);
    const out = new Float32Array(2);
    backend.avgPool2d(overlapping, f32([1, 2, 3, 4, 5, 6]), out);
    expectExact('avg', out, [3, 4]);
    const dx = new Float32Array(6);
    backend.avgPool2dBackward(overlapping, f32([4, 8]), dx);
    expectExact('dx', dx, [1, 3, 2, 1, 3, 2]);
  });
  list.add('maxPool2d: NaN is the maximum', () => {
    const out = new Float32Array(1);
    const argmax = new Int32Array(1);
    backend.maxPool2d(windowOf([1, 1, 2, 2, 2, 2, 2, 2, 0, 0]), f32([1, Number.NaN, 3, Number.NaN]), out, argmax);
    if (!Number.isNaN(out[0]) || argmax[0] !== 1)
      throw new Error(`max is ${out[0]} at ${argmax[0]}, expected NaN at 1`);
  });
  // Two 2×2 images, [[1, 3], [2, 0]] and [[5, 4], [9, 9]], one 2×2 window each: maxima 3 and the first 9, which is
  // x[6], an index into the whole batch; averages 1.5 and 6.75.
  list.add('maxPool2d, avgPool2d by hand, a batch of two images: argmax indexes the whole batch', () => {
    const window = windowOf([2, 1, 2, 2, 2, 2, 2, 2, 0, 0]);
    const x = f32([1, 3, 2, 0, 5, 4, 9, 9]);
    const out = new Float32Array(2);
    const argmax = new Int32Array(2);
    backend.maxPool2d(window, x, out, argmax);
    expectExact('max', out, [3, 9]);
    expectExact('argmax', argmax, [1, 6]);
    const dx = new Float32Array(8);
    backend.maxPool2dBackward(2, f32([10, 20]), argmax, dx);
    expectExact('max dx', dx, [0, 10, 0, 0, 0, 0, 20, 0]);
    backend.avgPool2d(window, x, out);
    expectExact('avg', out, [1.5, 6.75]);
    backend.avgPool2dBackward(window, f32([4, 8]), dx.fill(0));
    expectExact('avg dx', dx, [1, 1, 1, 1, 2, 2, 2, 2]);
  });
}

function addRandomPoolingCases(list: CaseList, window: ImageWindow): void {
  const { backend, rtol } = list;
  const { image, pooled } = sizesOf(window);
  const [inSize, outSize] = [window.batch * image, window.batch * pooled];
  const label = labelOf(window);
  list.add(`maxPool2d, maxPool2dBackward ${label}`, (rng) => {
    const x = random(rng, inSize);
    const expected = new Int32Array(outSize);
    const actual = new Int32Array(outSize);
    list.compare('max', 0, outSize, (k, out, isReference) =>
      k.maxPool2d(window, x, out, isReference ? expected : actual),
    );
    expectExact('argmax', actual, Array.from(expected));
    const dy = random(rng, outSize);
    const start = random(rng, inSize);
    list.compare('dx', rtol, inSize, (k, out) => {
      out.set(start);
      k.maxPool2dBackward(outSize, dy, expected, out);
    });
  });
  list.add(`avgPool2d, avgPool2dBackward ${label}`, (rng) => {
    const x = random(rng, inSize);
    list.compare('avg', rtol, outSize, (k, out) => k.avgPool2d(window, x, out));
    const dy = random(rng, outSize);
    const start = random(rng, inSize);
    list.compare('dx', rtol, inSize, (k, out) => {
      out.set(start);
      k.avgPool2dBackward(window, dy, out);
    });
  });
  if (window.batch === 1) return;
  list.add(`maxPool2d, avgPool2d, avgPool2dBackward: images of a batch are independent, ${label}`, (rng) => {
    const x = random(rng, inSize);
    expectMaxPoolIndependent(backend, window, x);
    expectIndependent(backend, window, {
      what: 'avg',
      input: x,
      inputPerImage: image,
      start: new Float32Array(outSize),
      outputPerImage: pooled,
      run: (k, w, input, output) => k.avgPool2d(w, input, output),
    });
    expectIndependent(backend, window, {
      what: 'dx',
      input: random(rng, outSize),
      inputPerImage: pooled,
      start: random(rng, inSize),
      outputPerImage: image,
      run: (k, w, dy, dx) => k.avgPool2dBackward(w, dy, dx),
    });
  });
}

/** {@link expectIndependent} for `maxPool2d`, whose indices point into the `x` each call was given. */
function expectMaxPoolIndependent(backend: Backend, window: ImageWindow, x: Float32Array): void {
  const { image, pooled } = sizesOf(window);
  const out = new Float32Array(window.batch * pooled);
  const argmax = new Int32Array(window.batch * pooled);
  backend.maxPool2d(window, x, out, argmax);
  for (let n = 0; n < window.batch; n++) {
    const aloneOut = new Float32Array(pooled);
    const aloneArgmax = new Int32Array(pooled);
    backend.maxPool2d({ ...window, batch: 1 }, x.subarray(n * image, (n + 1) * image), aloneOut, aloneArgmax);
    const [from, to] = [n * pooled, (n + 1) * pooled];
    expectExact(
      `max of image ${n} in the batch (left) and alone (right)`,
      out.subarray(from, to),
      Array.from(aloneOut),
    );
    // Alone, image n starts at index 0; in the batch, at n·image. −1 (a window wholly in the padding) stays −1.
    const shifted = Array.from(aloneArgmax, (i) => (i < 0 ? i : i + n * image));
    expectExact(`argmax of image ${n} in the batch (left) and alone (right)`, argmax.subarray(from, to), shifted);
  }
}
