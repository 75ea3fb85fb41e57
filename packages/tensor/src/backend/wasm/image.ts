import type { Backend } from '../backend.js';
import { jsBackend } from '../js/index.js';
import type { KernelInstance } from './kernels.js';
import { Staging } from './staging.js';

/** The kernels {@link imageKernels} provides. */
export type ImageKernels = Pick<Backend, 'im2col' | 'col2im' | 'maxPool2d'>;

/**
 * The image kernels that follow gemm in a convolutional network's training profile, in WebAssembly: `im2col` and
 * `col2im` (the convolution's data movement; the columns are 25 to 400 times the image, and their copy out of or into
 * WebAssembly memory is a memcpy against the reference's element loop) and `maxPool2d`.
 */
export function imageKernels(kernels: KernelInstance, base: number): ImageKernels {
  const staging = new Staging(kernels, base);
  const wasm = kernels.exports;
  return {
    im2col(channels, height, width, kh, kw, sh, sw, ph, pw, x, xOffset, col, colOffset) {
      const outH = Math.floor((height + 2 * ph - kh) / sh) + 1;
      const outW = Math.floor((width + 2 * pw - kw) / sw) + 1;
      const imageSize = channels * height * width;
      const columnsSize = channels * kh * kw * outH * outW;
      staging.reset();
      const xAt = staging.reserve(imageSize);
      const colAt = staging.reserve(columnsSize);
      if (columnsSize === 0 || imageSize === 0 || !staging.commit()) {
        jsBackend.im2col(channels, height, width, kh, kw, sh, sw, ph, pw, x, xOffset, col, colOffset);
        return;
      }
      staging.copyIn(xAt, x, xOffset, imageSize);
      wasm.im2col(channels, height, width, kh, kw, sh, sw, ph, pw, xAt, colAt);
      staging.copyOut(colAt, col, colOffset, columnsSize);
    },
    col2im(channels, height, width, kh, kw, sh, sw, ph, pw, col, colOffset, dx, dxOffset) {
      const outH = Math.floor((height + 2 * ph - kh) / sh) + 1;
      const outW = Math.floor((width + 2 * pw - kw) / sw) + 1;
      const imageSize = channels * height * width;
      const columnsSize = channels * kh * kw * outH * outW;
      staging.reset();
      const colAt = staging.reserve(columnsSize);
      const dxAt = staging.reserve(imageSize);
      if (columnsSize === 0 || imageSize === 0 || !staging.commit()) {
        jsBackend.col2im(channels, height, width, kh, kw, sh, sw, ph, pw, col, colOffset, dx, dxOffset);
        return;
      }
      staging.copyIn(colAt, col, colOffset, columnsSize);
      staging.copyIn(dxAt, dx, dxOffset, imageSize);
      wasm.col2im(channels, height, width, kh, kw, sh, sw, ph, pw, colAt, dxAt);
      staging.copyOut(dxAt, dx, dxOffset, imageSize);
    },
    maxPool2d(planes, height, width, kh, kw, sh, sw, ph, pw, x, out, argmax) {
      const outputs =
        planes * (Math.floor((height + 2 * ph - kh) / sh) + 1) * (Math.floor((width + 2 * pw - kw) / sw) + 1);
      const inputs = planes * height * width;
      staging.reset();
      const xAt = staging.reserve(inputs);
      const outAt = staging.reserve(outputs);
      const argmaxAt = staging.reserve(outputs);
      if (outputs === 0 || inputs === 0 || !staging.commit()) {
        jsBackend.maxPool2d(planes, height, width, kh, kw, sh, sw, ph, pw, x, out, argmax);
        return;
      }
      staging.copyIn(xAt, x, 0, inputs);
      wasm.max_pool2d(planes, height, width, kh, kw, sh, sw, ph, pw, xAt, outAt, argmaxAt);
      staging.copyOut(outAt, out, 0, outputs);
      staging.copyOutInt32(argmaxAt, argmax, outputs);
    },
  };
}
