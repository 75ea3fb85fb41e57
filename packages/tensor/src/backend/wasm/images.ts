import type { Backend, ImageWindow } from '../backend.js';
import { jsBackend } from '../js/index.js';
import { batchRun } from './batch-runs.js';
import type { KernelExports } from './kernels.js';
import type { CallFrame } from './runtime/call-frame.js';
import type { Col2imJob, Im2colJob, MaxPool2x2Job } from './runtime/job-table.js';
import type { WasmRuntime } from './runtime/runtime.js';

/** The kernels {@link imageKernels} provides. */
export type ImageKernels = Pick<Backend, 'im2col' | 'col2im' | 'maxPool2d' | 'maxPool2dBackward'>;

/**
 * The image kernels that follow gemm in a convolutional network's training profile, in WebAssembly, with the
 * reference's results: `im2col` and `col2im` (the convolution's data movement; the columns are 25 to 400 times the
 * image), `maxPool2d` and its backward pass. In the backend's memory, a batch's columns are made in one call, its
 * images shared out to the threads (`IMAGE_SPLIT_MIN_ELEMENTS`); staged, one image at a time, so that the copies stay
 * within a few megabytes whatever the batch. A large 2 × 2 pooling in the backend's memory shares its planes out to
 * the threads (`LAYER_SPLIT_MIN_ELEMENTS`).
 */
export function imageKernels(runtime: WasmRuntime): ImageKernels {
  return {
    im2col: im2colKernel(runtime),
    col2im: col2imKernel(runtime),
    maxPool2d(window, x, out, argmax) {
      const { batch, channels, height, width, outH, outW } = window;
      const planes = batch * channels;
      const outputs = planes * outH * outW;
      const inputs = planes * height * width;
      if (outputs === 0 || inputs === 0) return jsBackend.maxPool2d(window, x, out, argmax);
      const { kernelH, kernelW, strideH, strideW, padH, padW } = window;
      const twoByTwo = kernelH === 2 && kernelW === 2 && strideH === 2 && strideW === 2 && padH === 0 && padW === 0;
      const split = twoByTwo ? runtime.tuning.LAYER_SPLIT_MIN_ELEMENTS : undefined;
      const frame = runtime.begin(runtime.placed(x, out, argmax), split, inputs);
      const xAt = frame.input(x, 0, inputs);
      const outAt = frame.output(out, 0, outputs);
      const argmaxAt = frame.output(argmax, 0, outputs);
      if (!frame.commit()) return jsBackend.maxPool2d(window, x, out, argmax);
      if (twoByTwo) {
        // The common 2 × 2 window: four outputs at a time, the same results; planes shared out to the threads.
        const job: MaxPool2x2Job = {
          kind: 'maxPool2x2',
          from: 0,
          to: planes,
          height,
          width,
          x: xAt,
          out: outAt,
          argmax: argmaxAt,
        };
        // Planes shared out in contiguous ranges; a range's outputs start 4·outH·outW bytes a plane further on.
        const planeBytes = 4 * outH * outW;
        runtime.runInParts(frame, job, planes, (from, to) => ({
          ...job,
          from,
          to,
          out: outAt + from * planeBytes,
          argmax: argmaxAt + from * planeBytes,
        }));
        frame.finish();
        return;
      }
      frame.exports.max_pool2d(
        planes,
        height,
        width,
        kernelH,
        kernelW,
        strideH,
        strideW,
        padH,
        padW,
        xAt,
        outAt,
        argmaxAt,
      );
      frame.finish();
    },
    maxPool2dBackward(n, dy, argmax, dx) {
      const frame = runtime.begin(runtime.placed(dy, argmax, dx));
      if (n === 0 || (frame.staged && n < runtime.tuning.STAGED_MIN_ELEMENTS)) {
        return jsBackend.maxPool2dBackward(n, dy, argmax, dx);
      }
      const dyAt = frame.input(dy, 0, n);
      const argmaxAt = frame.input(argmax, 0, n);
      const dxAt = frame.update(dx, 0, dx.length);
      if (!frame.commit()) return jsBackend.maxPool2dBackward(n, dy, argmax, dx);
      frame.exports.max_pool_backward(n, dyAt, argmaxAt, dxAt, dx.length);
      frame.finish();
    },
  };
}

/**
 * `im2col`: in the backend's memory, the whole batch in one call, its images shared out to the threads when it is
 * large enough; staged, one image at a time.
 */
function im2colKernel(runtime: WasmRuntime): Backend['im2col'] {
  return (window, x, col) => {
    const { batch, channels, height, width, kernelH, kernelW, outH, outW } = window;
    const imageSize = channels * height * width;
    const columnsSize = channels * kernelH * kernelW * outH * outW;
    if (columnsSize === 0 || imageSize === 0) return jsBackend.im2col(window, x, col);
    if (runtime.placed(x, col)) {
      // In place: the whole batch in one call, its images shared out to the threads when it is large enough.
      const frame = runtime.begin(true, runtime.tuning.IMAGE_SPLIT_MIN_ELEMENTS, batch * columnsSize);
      const xAt = frame.input(x, 0, batch * imageSize);
      const colAt = frame.output(col, 0, batch * columnsSize);
      if (!frame.commit()) return jsBackend.im2col(window, x, col);
      const job: Im2colJob = {
        kind: 'im2col',
        count: batch,
        ...windowFields(window),
        x: xAt,
        imageBytes: 4 * imageSize,
        col: colAt,
        columnBytes: 4 * columnsSize,
      };
      runInImageRuns(runtime, frame, job, [
        ['x', 'imageBytes'],
        ['col', 'columnBytes'],
      ]);
      frame.finish();
      return;
    }
    for (let n = 0; n < batch; n++) {
      const frame = runtime.begin(false);
      const xAt = frame.input(x, n * imageSize, imageSize);
      const colAt = frame.output(col, n * columnsSize, columnsSize);
      // Every image needs the same room, so only the first can find the memory short.
      if (!frame.commit()) return jsBackend.im2col(window, x, col);
      unfold(frame.exports, 'im2col', window, xAt, colAt);
      frame.finish();
    }
  };
}

/** `col2im`, laid out as {@link im2colKernel}. */
function col2imKernel(runtime: WasmRuntime): Backend['col2im'] {
  return (window, col, dx) => {
    const { batch, channels, height, width, kernelH, kernelW, outH, outW } = window;
    const imageSize = channels * height * width;
    const columnsSize = channels * kernelH * kernelW * outH * outW;
    if (columnsSize === 0 || imageSize === 0) return jsBackend.col2im(window, col, dx);
    if (runtime.placed(col, dx)) {
      const frame = runtime.begin(true, runtime.tuning.IMAGE_SPLIT_MIN_ELEMENTS, batch * columnsSize);
      const colAt = frame.input(col, 0, batch * columnsSize);
      const dxAt = frame.update(dx, 0, batch * imageSize);
      if (!frame.commit()) return jsBackend.col2im(window, col, dx);
      const job: Col2imJob = {
        kind: 'col2im',
        count: batch,
        ...windowFields(window),
        col: colAt,
        columnBytes: 4 * columnsSize,
        dx: dxAt,
        imageBytes: 4 * imageSize,
      };
      runInImageRuns(runtime, frame, job, [
        ['col', 'columnBytes'],
        ['dx', 'imageBytes'],
      ]);
      frame.finish();
      return;
    }
    for (let n = 0; n < batch; n++) {
      const frame = runtime.begin(false);
      const colAt = frame.input(col, n * columnsSize, columnsSize);
      const dxAt = frame.update(dx, n * imageSize, imageSize);
      // Every image needs the same room, so only the first can find the memory short, before dx is touched.
      if (!frame.commit()) return jsBackend.col2im(window, col, dx);
      unfold(frame.exports, 'col2im', window, colAt, dxAt);
      frame.finish();
    }
  };
}

/** The window's fields as the batch kernels take them. */
function windowFields(window: ImageWindow) {
  const { channels, height, width, kernelH, kernelW, strideH, strideW, padH, padW } = window;
  return { channels, height, width, kernelH, kernelW, strideH, strideW, padH, padW };
}

/**
 * Runs a job over a batch of images in `frame.helpers + 1` contiguous runs of images, the first on the calling thread.
 * `pointers` names each pointer field with the field of its bytes per image, by which a run's pointers advance.
 */
function runInImageRuns<Job extends Im2colJob | Col2imJob>(
  runtime: WasmRuntime,
  frame: CallFrame,
  job: Job,
  pointers: readonly (readonly [keyof Job & string, keyof Job & string])[],
): void {
  runtime.runInParts(frame, job, job.count, (from, to) => batchRun(job, from, to, pointers));
}

/** Calls `im2col` (`from` the image, `to` the columns) or `col2im` (the other way) on one image of `window`. */
function unfold(
  exports: KernelExports,
  kernel: 'im2col' | 'col2im',
  window: ImageWindow,
  from: number,
  to: number,
): void {
  const { channels, height, width, kernelH, kernelW, strideH, strideW, padH, padW } = window;
  exports[kernel](channels, height, width, kernelH, kernelW, strideH, strideW, padH, padW, from, to);
}
