import type { Backend } from '../backend.js';

// Caffe's layout (Jia et al., 2014): each row of an image's columns is one (channel, kernel row, kernel column) tap and
// each column one output position, so a convolution is `weight[outC, C·kh·kw] · col[C·kh·kw, outH·outW]`, already in
// NCHW order. The innermost loop runs along an output row, reading the input row contiguously when the stride is 1.
// The images of a batch are independent: each has its own block of columns.

/** Unfolds every image into convolution columns; positions in the padding read as 0. */
export const im2col: Backend['im2col'] = (window, x, col) => {
  const { batch, channels, height, width, kernelH, kernelW, strideH, strideW, padH, padW, outH, outW } = window;
  let dst = 0;
  for (let c = 0; c < batch * channels; c++) {
    const plane = c * height * width;
    for (let ki = 0; ki < kernelH; ki++) {
      for (let kj = 0; kj < kernelW; kj++) {
        for (let oy = 0; oy < outH; oy++) {
          const y = oy * strideH - padH + ki;
          if (y < 0 || y >= height) {
            col.fill(0, dst, dst + outW);
            dst += outW;
            continue;
          }
          const row = plane + y * width;
          for (let ox = 0, xx = kj - padW; ox < outW; ox++, xx += strideW, dst++) {
            col[dst] = xx >= 0 && xx < width ? x[row + xx] : 0;
          }
        }
      }
    }
  }
};

/** Adds convolution columns back onto the images they were unfolded from (the adjoint of `im2col`). */
export const col2im: Backend['col2im'] = (window, col, dx) => {
  const { batch, channels, height, width, kernelH, kernelW, strideH, strideW, padH, padW, outH, outW } = window;
  let src = 0;
  for (let c = 0; c < batch * channels; c++) {
    const plane = c * height * width;
    for (let ki = 0; ki < kernelH; ki++) {
      for (let kj = 0; kj < kernelW; kj++) {
        for (let oy = 0; oy < outH; oy++) {
          const y = oy * strideH - padH + ki;
          if (y < 0 || y >= height) {
            src += outW;
            continue;
          }
          const row = plane + y * width;
          for (let ox = 0, xx = kj - padW; ox < outW; ox++, xx += strideW, src++) {
            if (xx >= 0 && xx < width) dx[row + xx] += col[src];
          }
        }
      }
    }
  }
};
