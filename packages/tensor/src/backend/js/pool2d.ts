import type { Backend } from '../backend.js';

// Each (image, channel) plane is pooled on its own: the kernels loop over `planes = batch·channels` and never look at
// the channel axis. A window starts at `oy·sh − ph`; positions outside the image are padding: −∞ for the maximum,
// 0 for the average (which always divides by the full window, PyTorch's `count_include_pad`).

/**
 * Max pooling over every plane; `argmax[o]` gets the index into `x` of the maximum that `out[o]` copied (the first
 * one on ties; NaN counts as the maximum). A window entirely in the padding gives −∞ and index −1.
 */
export const maxPool2d: Backend['maxPool2d'] = (window, x, out, argmax) => {
  const { batch, channels, height, width, kernelH, kernelW, strideH, strideW, padH, padW, outH, outW } = window;
  const planes = batch * channels;
  let o = 0;
  for (let p = 0; p < planes; p++) {
    const plane = p * height * width;
    for (let oy = 0; oy < outH; oy++) {
      const y0 = Math.max(oy * strideH - padH, 0);
      const y1 = Math.min(oy * strideH - padH + kernelH, height);
      for (let ox = 0; ox < outW; ox++, o++) {
        const x0 = Math.max(ox * strideW - padW, 0);
        const x1 = Math.min(ox * strideW - padW + kernelW, width);
        let best = Number.NEGATIVE_INFINITY;
        let index = -1;
        for (let yy = y0; yy < y1; yy++) {
          for (let i = plane + yy * width + x0, end = plane + yy * width + x1; i < end; i++) {
            const v = x[i];
            // `v > best` keeps the first maximum; the second test lets the first NaN win and stay.
            if (v > best || (Number.isNaN(v) && !Number.isNaN(best)) || index < 0) {
              best = v;
              index = i;
            }
          }
        }
        out[o] = best;
        argmax[o] = index;
      }
    }
  }
};

/** Max pooling's backward pass: `dx[argmax[o]] += dy[o]` for `o < n` (an index of −1 is skipped). */
export const maxPool2dBackward: Backend['maxPool2dBackward'] = (n, dy, argmax, dx) => {
  for (let o = 0; o < n; o++) {
    const i = argmax[o];
    if (i >= 0) dx[i] += dy[o];
  }
};

/** Average pooling over every plane: each output is the window's sum divided by `kernelH·kernelW`. */
export const avgPool2d: Backend['avgPool2d'] = (window, x, out) => {
  const { batch, channels, height, width, kernelH, kernelW, strideH, strideW, padH, padW, outH, outW } = window;
  const planes = batch * channels;
  const inverse = 1 / (kernelH * kernelW);
  let o = 0;
  for (let p = 0; p < planes; p++) {
    const plane = p * height * width;
    for (let oy = 0; oy < outH; oy++) {
      const y0 = Math.max(oy * strideH - padH, 0);
      const y1 = Math.min(oy * strideH - padH + kernelH, height);
      for (let ox = 0; ox < outW; ox++, o++) {
        const x0 = Math.max(ox * strideW - padW, 0);
        const x1 = Math.min(ox * strideW - padW + kernelW, width);
        let sum = 0; // float64, then one rounding to float32
        for (let yy = y0; yy < y1; yy++) {
          for (let i = plane + yy * width + x0, end = plane + yy * width + x1; i < end; i++) sum += x[i];
        }
        out[o] = sum * inverse;
      }
    }
  }
};

/** Average pooling's backward pass: adds `dy[o] / (kernelH·kernelW)` onto every input position of window `o`. */
export const avgPool2dBackward: Backend['avgPool2dBackward'] = (window, dy, dx) => {
  const { batch, channels, height, width, kernelH, kernelW, strideH, strideW, padH, padW, outH, outW } = window;
  const planes = batch * channels;
  const inverse = 1 / (kernelH * kernelW);
  let o = 0;
  for (let p = 0; p < planes; p++) {
    const plane = p * height * width;
    for (let oy = 0; oy < outH; oy++) {
      const y0 = Math.max(oy * strideH - padH, 0);
      const y1 = Math.min(oy * strideH - padH + kernelH, height);
      for (let ox = 0; ox < outW; ox++, o++) {
        const x0 = Math.max(ox * strideW - padW, 0);
        const x1 = Math.min(ox * strideW - padW + kernelW, width);
        const g = dy[o] * inverse;
        for (let yy = y0; yy < y1; yy++) {
          for (let i = plane + yy * width + x0, end = plane + yy * width + x1; i < end; i++) dx[i] += g;
        }
      }
    }
  }
};
