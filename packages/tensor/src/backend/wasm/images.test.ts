import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Random } from '../../random.js';
import type { ImageWindow } from '../backend.js';
import { jsBackend } from '../js/index.js';
import { createWasmBackend, type WasmBackend } from './index.js';

// im2col and col2im over a batch in the backend's memory run in one call, their images shared out to the threads;
// staged, one image at a time. Every way must give the reference's result bit for bit (they only move values, and
// col2im adds each image's columns into that image alone, in the same order).

/** The CNN example's second convolution on a batch of 16 (5 × 5, padding 2, 16 channels of 14 × 14). */
const window: ImageWindow = {
  batch: 16,
  channels: 16,
  height: 14,
  width: 14,
  kernelH: 5,
  kernelW: 5,
  strideH: 1,
  strideW: 1,
  padH: 2,
  padW: 2,
  outH: 14,
  outW: 14,
};
const imageFloats = window.batch * window.channels * window.height * window.width;
const columnFloats = window.batch * window.channels * 25 * window.outH * window.outW;

function random(length: number, rng: Random): Float32Array {
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) out[i] = rng.uniform(-1, 1);
  return out;
}

describe('im2col and col2im on the wasm-simd backend', () => {
  let one: WasmBackend;
  let two: WasmBackend;
  beforeAll(async () => {
    one = createWasmBackend({ threads: 1 });
    two = createWasmBackend({ threads: 2 });
    expect(await two.ready()).toBe(2);
  });
  afterAll(() => {
    one.dispose();
    two.dispose();
  });

  const ways = () =>
    [
      ['one thread, staged', one, (x: Float32Array) => x.slice()],
      ['one thread, placed', one, (x: Float32Array) => placeOn(one, x)],
      ['two threads, placed', two, (x: Float32Array) => placeOn(two, x)],
    ] as const;

  it('im2col: every way gives the reference’s columns bit for bit', () => {
    const x = random(imageFloats, new Random(31));
    const expected = new Float32Array(columnFloats);
    jsBackend.im2col(window, x, expected);
    for (const [name, backend, place] of ways()) {
      const col = place(new Float32Array(columnFloats).fill(Number.NaN));
      backend.im2col(window, place(x), col);
      expect(firstDifference(col, expected), name).toBe(-1);
    }
  });

  it('col2im: every way adds the same columns into the same gradient bit for bit', () => {
    const rng = new Random(32);
    const col = random(columnFloats, rng);
    const dx = random(imageFloats, rng);
    const expected = dx.slice();
    jsBackend.col2im(window, col, expected);
    for (const [name, backend, place] of ways()) {
      const actual = place(dx);
      backend.col2im(window, place(col), actual);
      expect(firstDifference(actual, expected), name).toBe(-1);
    }
  });
});

/** The first index where x and y differ in any bit (NaN included), or -1. */
function firstDifference(x: Float32Array, y: Float32Array): number {
  for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) return i;
  return x.length === y.length ? -1 : x.length;
}

/** A copy of `x` in `backend`'s own memory. */
function placeOn(backend: WasmBackend, x: Float32Array): Float32Array {
  const y = (backend.allocate as (length: number) => Float32Array)(x.length);
  y.set(x);
  return y;
}
