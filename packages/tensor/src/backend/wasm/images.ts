import type { Backend, ImageWindow } from '../backend.js';
import { jsBackend } from '../js/index.js';
import type { KernelExports } from './kernels.js';
import type { WasmRuntime } from './runtime/runtime.js';

/** The kernels {@link imageKernels} provides. */
export type ImageKernels = Pick<Backend, 'im2col' | 'col2im' | 'maxPool2d'>;

/**
 * The image kernels that follow gemm in a convolutional network's training profile, in WebAssembly, with the
 * reference's results: `im2col` and `col2im` (the convolution's data movement; the columns are 25 to 400 times the
 * image, and staged, their copy is a memcpy against the reference's element loop) and `maxPool2d`. The columns are
 * laid out one image at a time, so that staged, they stay within a few megabytes whatever the batch.
 */
export function imageKernels(runtime: WasmRuntime): ImageKernels {
  return {
    im2col(window, x, col) {
      const { batch, channels, height, width, kernelH, kernelW, outH, outW } = window;
      const imageSize = channels * height * width;
      const columnsSize = channels * kernelH * kernelW * outH * outW;
      if (columnsSize === 0 || imageSize === 0) return jsBackend.im2col(window, x, col);
      const placed = runtime.placed(x, col);
      for (let n = 0; n < batch; n++) {
        const frame = runtime.begin(placed);
        const xAt = frame.input(x, n * imageSize, imageSize);
        const colAt = frame.output(col, n * columnsSize, columnsSize);
        // Every image needs the same room, so only the first can find the memory short.
        if (!frame.commit()) return jsBackend.im2col(window, x, col);
        unfold(frame.exports, 'im2col', window, xAt, colAt);
        frame.finish();
      }
    },
    col2im(window, col, dx) {
      const { batch, channels, height, width, kernelH, kernelW, outH, outW } = window;
      const imageSize = channels * height * width;
      const columnsSize = channels * kernelH * kernelW * outH * outW;
      if (columnsSize === 0 || imageSize === 0) return jsBackend.col2im(window, col, dx);
      const placed = runtime.placed(col, dx);
      for (let n = 0; n < batch; n++) {
        const frame = runtime.begin(placed);
        const colAt = frame.input(col, n * columnsSize, columnsSize);
        const dxAt = frame.update(dx, n * imageSize, imageSize);
        // Every image needs the same room, so only the first can find the memory short, before dx is touched.
        if (!frame.commit()) return jsBackend.col2im(window, col, dx);
        unfold(frame.exports, 'col2im', window, colAt, dxAt);
        frame.finish();
      }
    },
    maxPool2d(window, x, out, argmax) {
      const { batch, channels, height, width, outH, outW } = window;
      const planes = batch * channels;
      const outputs = planes * outH * outW;
      const inputs = planes * height * width;
      if (outputs === 0 || inputs === 0) return jsBackend.maxPool2d(window, x, out, argmax);
      const frame = runtime.begin(runtime.placed(x, out, argmax));
      const xAt = frame.input(x, 0, inputs);
      const outAt = frame.output(out, 0, outputs);
      const argmaxAt = frame.output(argmax, 0, outputs);
      if (!frame.commit()) return jsBackend.maxPool2d(window, x, out, argmax);
      const { kernelH, kernelW, strideH, strideW, padH, padW } = window;
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
  };
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
