import type { Backend, ImageWindow } from '../../backend/backend.js';
import { expectExact } from './harness.js';

// What the image and pooling cases share: their geometries, and the check that the images of a batch are independent.

/** `[batch, channels, height, width, kernelH, kernelW, strideH, strideW, padH, padW]`. */
export type Geometry = readonly [number, number, number, number, number, number, number, number, number, number];

/** The window of a geometry, with its output size `⌊(size + 2·pad − kernel) / stride⌋ + 1` each way. */
export function windowOf(geometry: Geometry): ImageWindow {
  const [batch, channels, height, width, kernelH, kernelW, strideH, strideW, padH, padW] = geometry;
  const outH = Math.floor((height + 2 * padH - kernelH) / strideH) + 1;
  const outW = Math.floor((width + 2 * padW - kernelW) / strideW) + 1;
  return { batch, channels, height, width, kernelH, kernelW, strideH, strideW, padH, padW, outH, outW };
}

/** A case name's geometry; a batch of one is left out, as the suite named single images before batches existed. */
export function labelOf(w: ImageWindow): string {
  const images = w.batch === 1 ? '' : `batch ${w.batch}, `;
  const geometry = `window ${w.kernelH}×${w.kernelW} stride ${w.strideH}×${w.strideW} pad ${w.padH}×${w.padW}`;
  return `${images}${w.channels}×${w.height}×${w.width} ${geometry}`;
}

/** Floats per image: of the input, of its columns, and of its pooled output. */
export function sizesOf(w: ImageWindow): { image: number; columns: number; pooled: number } {
  const image = w.channels * w.height * w.width;
  return { image, columns: w.channels * w.kernelH * w.kernelW * w.outH * w.outW, pooled: w.channels * w.outH * w.outW };
}

/** An image kernel with one input and one output, as {@link expectIndependent} runs it. */
export interface PerImageRun {
  /** The output's name in messages. */
  readonly what: string;
  /** The whole batch's input. */
  readonly input: Float32Array;
  /** Floats of `input` per image. */
  readonly inputPerImage: number;
  /** The output's initial values, for the whole batch (a kernel may add onto them). */
  readonly start: Float32Array;
  /** Floats of the output per image. */
  readonly outputPerImage: number;
  /** Runs the kernel. */
  run(kernels: Backend, window: ImageWindow, input: Float32Array, output: Float32Array): void;
}

/**
 * Runs a kernel on the whole batch, then on each image alone (a batch of one given that image's slices of the input
 * and of the output's initial values), and checks that each image's slice of the batch's output is exactly what the
 * image gives alone: no image reads or writes another's data.
 */
export function expectIndependent(backend: Backend, window: ImageWindow, kernel: PerImageRun): void {
  const { what, input, inputPerImage, start, outputPerImage } = kernel;
  const whole = start.slice();
  kernel.run(backend, window, input, whole);
  for (let n = 0; n < window.batch; n++) {
    const alone = start.slice(n * outputPerImage, (n + 1) * outputPerImage);
    const imageInput = input.subarray(n * inputPerImage, (n + 1) * inputPerImage);
    kernel.run(backend, { ...window, batch: 1 }, imageInput, alone);
    const inBatch = whole.subarray(n * outputPerImage, (n + 1) * outputPerImage);
    expectExact(`${what} of image ${n} in the batch (left) and alone (right)`, inBatch, Array.from(alone));
  }
}
