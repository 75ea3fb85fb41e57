import type { Backend } from '../backend.js';
import { jsBackend } from '../js/index.js';
import type { WasmRuntime } from './runtime/runtime.js';

/** The kernels {@link elementwiseKernels} provides. */
export type ElementwiseKernels = Pick<Backend, 'relu' | 'reluBackward' | 'addRowVector' | 'sumAxis' | 'fill'>;

/**
 * The elementwise and row-wise kernels that profiling of a training step puts next after gemm, in WebAssembly SIMD:
 * ReLU and its gradient, the bias kernels (`addRowVector`, and `sumAxis` for column sums) and `fill`. They give the
 * reference's results bit for bit. On arrays in the backend's memory they run in place (a large ReLU, or fill, in
 * ranges over the threads); on others they are staged, and small calls (`STAGED_MIN_ELEMENTS`) go to the reference
 * kernels, which copy nothing.
 */
export function elementwiseKernels(runtime: WasmRuntime): ElementwiseKernels {
  const { STAGED_MIN_ELEMENTS, UPDATE_SPLIT_MIN_ELEMENTS, LAYER_SPLIT_MIN_ELEMENTS } = runtime.tuning;
  // A fill splits over the threads like the momentum update, so that each half of a gradient it zeroes is in the cache
  // of the core whose share of the weight-gradient product accumulates into it; it is never staged (nothing beats the
  // engine's own fill of an ordinary array).
  const fillSplit = { placed: UPDATE_SPLIT_MIN_ELEMENTS, staged: Number.POSITIVE_INFINITY };
  return {
    relu(n, x, out) {
      const frame = runtime.begin(runtime.placed(x, out), LAYER_SPLIT_MIN_ELEMENTS, n);
      if (frame.staged && n < STAGED_MIN_ELEMENTS) return jsBackend.relu(n, x, out);
      const xAt = frame.input(x, 0, n);
      const outAt = frame.output(out, 0, n);
      if (!frame.commit()) return jsBackend.relu(n, x, out);
      if (frame.helpers === 0) frame.exports.relu(n, xAt, outAt);
      else runtime.runInRanges(frame, { kind: 'relu', n, x: xAt, out: outAt }, n);
      frame.finish();
    },
    reluBackward(n, x, dy, dx) {
      const frame = runtime.begin(runtime.placed(x, dy, dx), LAYER_SPLIT_MIN_ELEMENTS, n);
      if (frame.staged && n < STAGED_MIN_ELEMENTS) return jsBackend.reluBackward(n, x, dy, dx);
      const xAt = frame.input(x, 0, n);
      const dyAt = frame.input(dy, 0, n);
      const dxAt = frame.output(dx, 0, n);
      if (!frame.commit()) return jsBackend.reluBackward(n, x, dy, dx);
      if (frame.helpers === 0) frame.exports.relu_backward(n, xAt, dyAt, dxAt);
      else runtime.runInRanges(frame, { kind: 'reluBackward', n, x: xAt, dy: dyAt, dx: dxAt }, n);
      frame.finish();
    },
    addRowVector(rows, cols, x, v, out) {
      const n = rows * cols;
      const frame = runtime.begin(runtime.placed(x, v, out));
      if (frame.staged && n < STAGED_MIN_ELEMENTS) return jsBackend.addRowVector(rows, cols, x, v, out);
      const xAt = frame.input(x, 0, n);
      const vAt = frame.input(v, 0, cols);
      const outAt = frame.output(out, 0, n);
      if (!frame.commit()) return jsBackend.addRowVector(rows, cols, x, v, out);
      frame.exports.add_row_vector(rows, cols, xAt, vAt, outAt);
      frame.finish();
    },
    sumAxis(outer, size, inner, x, out) {
      // Column sums (inner ≥ 4: the bias gradients), one `[size, inner]` slice at a time; a sum along rows (inner = 1)
      // stays with the reference.
      const n = size * inner;
      const placed = runtime.placed(x, out);
      if (inner < 4 || (!placed && outer * n < STAGED_MIN_ELEMENTS)) {
        return jsBackend.sumAxis(outer, size, inner, x, out);
      }
      for (let o = 0; o < outer; o++) {
        const frame = runtime.begin(placed);
        const xAt = frame.input(x, o * n, n);
        const outAt = frame.output(out, o * inner, inner);
        const scratch = frame.scratch(0, 8 * (inner + 4));
        // Every slice needs the same room, so only the first can find the memory short.
        if (!frame.commit()) return jsBackend.sumAxis(outer, size, inner, x, out);
        frame.exports.sum_columns(size, inner, xAt, outAt, scratch);
        frame.finish();
      }
    },
    fill(n, value, out) {
      const frame = runtime.begin(runtime.placed(out), fillSplit, n);
      if (frame.staged) return jsBackend.fill(n, value, out);
      if (frame.helpers === 0) frame.exports.fill(n, value, out.byteOffset);
      else runtime.runInRanges(frame, { kind: 'fill', n, value, out: out.byteOffset }, n);
    },
  };
}
