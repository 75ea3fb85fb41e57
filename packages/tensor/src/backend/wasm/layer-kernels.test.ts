import { afterAll, describe, expect, it } from 'vitest';
import { Random } from '../../random.js';
import type { ChannelLayout, ImageWindow } from '../backend.js';
import { jsBackend } from '../js/index.js';
import { channelKernels } from './channels.js';
import { elementwiseKernels } from './elementwise.js';
import { imageKernels } from './images.js';
import { WasmRuntime } from './runtime/runtime.js';

// The kernels that follow a convolution's products (batch normalisation, 2 × 2 max pooling, ReLU) share a large call
// on arrays in the backend's memory out to the worker threads, by channels, planes or ranges of elements. Each part is
// computed as on one thread, so two threads must give one thread's result bit for bit, and the reference's where the
// arithmetic is the reference's.

/** The example CNN's first batch normalisation at batch 8: 8 × 16 channels of 28 × 28 (100 352 elements). */
const layout: ChannelLayout = { outer: 8, channels: 16, inner: 784 };
const size = layout.outer * layout.channels * layout.inner;
/** Its 2 × 2 pooling. */
const window: ImageWindow = {
  batch: 8,
  channels: 16,
  height: 28,
  width: 28,
  kernelH: 2,
  kernelW: 2,
  strideH: 2,
  strideW: 2,
  padH: 0,
  padW: 0,
  outH: 14,
  outW: 14,
};
const pooled = size / 4;

// The two-thread runtime never holds back from sharing (a busy machine would otherwise make it run a call alone).
const runtimes = {
  one: new WasmRuntime({ threads: 1 }),
  two: new WasmRuntime({ threads: 2, tuning: { THREAD_LATE_MS: Number.POSITIVE_INFINITY } }),
};
afterAll(() => {
  runtimes.one.dispose();
  runtimes.two.dispose();
});

/** The kernel families on a runtime. */
function kernelsOn(runtime: WasmRuntime) {
  return { ...channelKernels(runtime), ...imageKernels(runtime), ...elementwiseKernels(runtime) };
}

function random(length: number, seed: number, low = -1, high = 1): Float32Array {
  const rng = new Random(seed);
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) out[i] = rng.uniform(low, high);
  return out;
}

/** A copy of `values` in `runtime`'s memory. */
function placed(runtime: WasmRuntime, values: Float32Array): Float32Array {
  const array = runtime.allocate(values.length);
  array.set(values);
  return array;
}

/** An index array of `length` in `runtime`'s memory, as the max pooling layer places its own. */
function placedIndices(runtime: WasmRuntime, length: number): Int32Array {
  const floats = runtime.allocate(length);
  return new Int32Array(floats.buffer, floats.byteOffset, length);
}

/** The first index where two arrays differ in any bit (NaN included), or -1. */
function firstDifference(x: Float32Array | Int32Array, y: Float32Array | Int32Array): number {
  const a = new Int32Array(x.buffer, x.byteOffset, x.length);
  const b = new Int32Array(y.buffer, y.byteOffset, y.length);
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}

/**
 * Runs `call` with arrays placed on one thread and on two, checks that the two-thread run shared the call out, and
 * returns both runs' outputs.
 */
async function onBoth(
  call: (
    kernels: ReturnType<typeof kernelsOn>,
    place: (values: Float32Array) => Float32Array,
    runtime: WasmRuntime,
  ) => (Float32Array | Int32Array)[],
): Promise<{ one: (Float32Array | Int32Array)[]; two: (Float32Array | Int32Array)[] }> {
  expect(await runtimes.two.ready()).toBe(2);
  const before = runtimes.two.sharedCalls;
  const runOn = (runtime: WasmRuntime) => call(kernelsOn(runtime), (values) => placed(runtime, values), runtime);
  const one = runOn(runtimes.one);
  const two = runOn(runtimes.two);
  expect(runtimes.two.sharedCalls, 'the two-thread call was shared out').toBeGreaterThan(before);
  return { one, two };
}

describe('the layer kernels over two threads', () => {
  const x = random(size, 1, -2, 3);
  const gamma = random(layout.channels, 2, 0.5, 1.5);
  const beta = random(layout.channels, 3);

  it('batch normalisation’s statistics: one thread’s bits, by ranges of channels', async () => {
    const { one, two } = await onBoth((kernels, place) => {
      const mean = place(new Float32Array(layout.channels));
      const variance = place(new Float32Array(layout.channels));
      kernels.batchNormStatistics(layout, place(x), mean, variance);
      return [mean, variance];
    });
    const mean = new Float32Array(layout.channels);
    const variance = new Float32Array(layout.channels);
    jsBackend.batchNormStatistics(layout, x, mean, variance);
    for (let i = 0; i < 2; i++) {
      expect(firstDifference(two[i], one[i])).toBe(-1);
      // The WebAssembly sums run in another order than the reference's: the same to float32's last bits.
      const reference = [mean, variance][i];
      for (let c = 0; c < layout.channels; c++) expect(two[i][c]).toBeCloseTo(reference[c], 5);
    }
  });

  it('batch normalisation’s forward pass: the reference’s bits, by ranges of channels', async () => {
    const mean = random(layout.channels, 4);
    const variance = random(layout.channels, 5, 0.5, 2);
    const epsilon = 1e-5;
    const { one, two } = await onBoth((kernels, place) => {
      const xhat = place(new Float32Array(size));
      const y = place(new Float32Array(size));
      kernels.batchNormForward(
        layout,
        epsilon,
        place(x),
        place(mean),
        place(variance),
        place(gamma),
        place(beta),
        xhat,
        y,
      );
      return [xhat, y];
    });
    const xhat = new Float32Array(size);
    const y = new Float32Array(size);
    jsBackend.batchNormForward(layout, epsilon, x, mean, variance, gamma, beta, xhat, y);
    expect(firstDifference(one[0], xhat)).toBe(-1);
    expect(firstDifference(one[1], y)).toBe(-1);
    expect(firstDifference(two[0], xhat)).toBe(-1);
    expect(firstDifference(two[1], y)).toBe(-1);
  });

  it.each([true, false])(
    'batch normalisation’s backward pass (batch statistics %s): the reference’s bits',
    async (batchStatistics) => {
      const xhat = random(size, 6);
      const dy = random(size, 7);
      const variance = random(layout.channels, 8, 0.5, 2);
      const dgamma0 = random(layout.channels, 9);
      const dbeta0 = random(layout.channels, 10);
      // An ε that float32 would round: a job must carry it to the worker as a float64.
      const step = { epsilon: 1e-5, batchStatistics };
      const { one, two } = await onBoth((kernels, place) => {
        const dgamma = place(dgamma0);
        const dbeta = place(dbeta0);
        const dx = place(new Float32Array(size));
        kernels.batchNormBackward(
          layout,
          step,
          place(xhat),
          place(dy),
          place(variance),
          place(gamma),
          dgamma,
          dbeta,
          dx,
        );
        return [dgamma, dbeta, dx];
      });
      const expected = [dgamma0.slice(), dbeta0.slice(), new Float32Array(size)];
      jsBackend.batchNormBackward(layout, step, xhat, dy, variance, gamma, expected[0], expected[1], expected[2]);
      for (let i = 0; i < 3; i++) {
        expect(firstDifference(one[i], expected[i]), `one thread, output ${i}`).toBe(-1);
        expect(firstDifference(two[i], expected[i]), `two threads, output ${i}`).toBe(-1);
      }
    },
  );

  it('2 × 2 max pooling: the reference’s maxima and indices into the whole input, by ranges of planes', async () => {
    // Ties and a NaN, so that the first-on-ties and NaN rules are exercised on both threads' planes.
    const input = x.slice();
    input.fill(0.5, 0, 64);
    input[size - 3] = Number.NaN;
    const { one, two } = await onBoth((kernels, place, runtime) => {
      const out = place(new Float32Array(pooled));
      const argmax = placedIndices(runtime, pooled);
      kernels.maxPool2d(window, place(input), out, argmax);
      return [out, argmax];
    });
    const out = new Float32Array(pooled);
    const argmax = new Int32Array(pooled);
    jsBackend.maxPool2d(window, input, out, argmax);
    for (const run of [one, two]) {
      expect(firstDifference(run[0], out)).toBe(-1);
      expect(firstDifference(run[1], argmax)).toBe(-1);
    }
  });

  it('ReLU and its gradient: the reference’s bits, by ranges of elements', async () => {
    const dy = random(size, 11);
    const { one, two } = await onBoth((kernels, place) => {
      const out = place(new Float32Array(size));
      const dx = place(new Float32Array(size));
      const input = place(x);
      kernels.relu(size, input, out);
      kernels.reluBackward(size, input, place(dy), dx);
      return [out, dx];
    });
    const out = new Float32Array(size);
    const dx = new Float32Array(size);
    jsBackend.relu(size, x, out);
    jsBackend.reluBackward(size, x, dy, dx);
    for (const run of [one, two]) {
      expect(firstDifference(run[0], out)).toBe(-1);
      expect(firstDifference(run[1], dx)).toBe(-1);
    }
  });
});

describe('max pooling’s backward pass on the wasm-simd backend', () => {
  it('adds each output’s gradient at its index, as the reference, placed or staged, and skips indices outside dx', () => {
    const n = 3000;
    const dy = random(n, 12);
    const rng = new Random(13);
    const argmax = new Int32Array(n);
    // Shared indices add up; −1 and indices past dx are skipped.
    for (let i = 0; i < n; i++) argmax[i] = Math.floor(rng.uniform(-0.1, 1.1) * 2000);
    argmax[0] = -1;
    argmax[1] = 2000;
    const dx0 = random(2000, 14);
    const expected = dx0.slice();
    jsBackend.maxPool2dBackward(n, dy, argmax, expected);
    const staged = dx0.slice();
    kernelsOn(runtimes.one).maxPool2dBackward(n, dy, argmax, staged);
    expect(firstDifference(staged, expected)).toBe(-1);
    const inPlace = placed(runtimes.one, dx0);
    const placedArgmax = placedIndices(runtimes.one, n);
    placedArgmax.set(argmax);
    kernelsOn(runtimes.one).maxPool2dBackward(n, placed(runtimes.one, dy), placedArgmax, inPlace);
    expect(firstDifference(inPlace, expected)).toBe(-1);
  });
});
