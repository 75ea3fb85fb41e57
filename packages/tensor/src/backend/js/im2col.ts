// Caffe's layout (Jia et al., 2014): each row of `col` is one (channel, kernel row, kernel column) tap and each column
// one output position, so a convolution is `weight[outC, C·kh·kw] · col[C·kh·kw, outH·outW]`, already in NCHW order.
// The innermost loop runs along an output row, reading the input row contiguously when the stride is 1.

/** Unfolds one image into convolution columns; positions in the padding read as 0. */
export function im2col(
  channels: number,
  height: number,
  width: number,
  kernelH: number,
  kernelW: number,
  strideH: number,
  strideW: number,
  padH: number,
  padW: number,
  x: Float32Array,
  xOffset: number,
  col: Float32Array,
  colOffset: number,
): void {
  const outH = Math.floor((height + 2 * padH - kernelH) / strideH) + 1;
  const outW = Math.floor((width + 2 * padW - kernelW) / strideW) + 1;
  let dst = colOffset;
  for (let c = 0; c < channels; c++) {
    const plane = xOffset + c * height * width;
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
}

/** Adds convolution columns back onto the image they were unfolded from (the adjoint of `im2col`). */
export function col2im(
  channels: number,
  height: number,
  width: number,
  kernelH: number,
  kernelW: number,
  strideH: number,
  strideW: number,
  padH: number,
  padW: number,
  col: Float32Array,
  colOffset: number,
  dx: Float32Array,
  dxOffset: number,
): void {
  const outH = Math.floor((height + 2 * padH - kernelH) / strideH) + 1;
  const outW = Math.floor((width + 2 * padW - kernelW) / strideW) + 1;
  let src = colOffset;
  for (let c = 0; c < channels; c++) {
    const plane = dxOffset + c * height * width;
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
}
