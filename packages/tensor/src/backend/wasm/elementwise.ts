import type { Backend } from '../backend.js';
import { jsBackend } from '../js/index.js';
import type { KernelInstance } from './kernels.js';
import { Staging } from './staging.js';

/** Below this many elements the reference kernel wins: staging costs more than the loop. */
const MIN_ELEMENTS = 256;

/** The kernels {@link elementwiseKernels} provides. */
export type ElementwiseKernels = Pick<Backend, 'momentumUpdate' | 'relu' | 'reluBackward' | 'addRowVector' | 'sumAxis'>;

/**
 * The row-wise and elementwise kernels that profiling of a training step put next after gemm (the momentum update
 * above all), as WebAssembly SIMD: each call copies its operands into the instance's memory (a memcpy), runs a
 * vector loop, and copies the results back; small arrays go to the reference kernel.
 */
export function elementwiseKernels(kernels: KernelInstance, base: number): ElementwiseKernels {
  const staging = new Staging(kernels, base);
  const wasm = kernels.exports;
  // Byte offsets of the current call's operands, reused so that a kernel call allocates nothing.
  const at = [0, 0, 0];
  return {
    momentumUpdate(n, learningRate, momentum, gradScale, nesterov, g, velocity, theta) {
      if (n < MIN_ELEMENTS || !layout(staging, [n, n, n], at)) {
        jsBackend.momentumUpdate(n, learningRate, momentum, gradScale, nesterov, g, velocity, theta);
        return;
      }
      const [pg, pv, pt] = at;
      staging.copyIn(pg, g, 0, n);
      staging.copyIn(pv, velocity, 0, n);
      staging.copyIn(pt, theta, 0, n);
      wasm.momentum_update(n, learningRate, momentum, gradScale, nesterov ? 1 : 0, pg, pv, pt);
      staging.copyOut(pv, velocity, 0, n);
      staging.copyOut(pt, theta, 0, n);
    },
    relu(n, x, out) {
      if (n < MIN_ELEMENTS || !layout(staging, [n], at)) {
        jsBackend.relu(n, x, out);
        return;
      }
      staging.copyIn(at[0], x, 0, n);
      wasm.relu(n, at[0], at[0]);
      staging.copyOut(at[0], out, 0, n);
    },
    reluBackward(n, x, dy, dx) {
      if (n < MIN_ELEMENTS || !layout(staging, [n, n], at)) {
        jsBackend.reluBackward(n, x, dy, dx);
        return;
      }
      const [px, pdy] = at;
      staging.copyIn(px, x, 0, n);
      staging.copyIn(pdy, dy, 0, n);
      wasm.relu_backward(n, px, pdy, pdy);
      staging.copyOut(pdy, dx, 0, n);
    },
    addRowVector(rows, cols, x, v, out) {
      const n = rows * cols;
      staging.reset();
      const px = staging.reserve(n);
      const pv = staging.reserve(cols);
      if (n < MIN_ELEMENTS || !staging.commit()) {
        jsBackend.addRowVector(rows, cols, x, v, out);
        return;
      }
      staging.copyIn(px, x, 0, n);
      staging.copyIn(pv, v, 0, cols);
      wasm.add_row_vector(rows, cols, px, pv, px);
      staging.copyOut(px, out, 0, n);
    },
    sumAxis(outer, size, inner, x, out) {
      // Column sums (inner > 1) are the bias gradients; a sum along rows (inner = 1) stays with the reference.
      const n = size * inner;
      staging.reset();
      const px = staging.reserve(n);
      const po = staging.reserve(inner);
      const scratch = staging.reserve(0, 8 * (inner + 4));
      if (inner < 4 || outer * n < MIN_ELEMENTS || !staging.commit()) {
        jsBackend.sumAxis(outer, size, inner, x, out);
        return;
      }
      for (let o = 0; o < outer; o++) {
        staging.copyIn(px, x, o * n, n);
        wasm.sum_columns(size, inner, px, po, scratch);
        staging.copyOut(po, out, o * inner, inner);
      }
    },
  };
}

/** Lays out one array per entry of `lengths`, writing the byte offsets to `at`; false when memory cannot grow. */
function layout(staging: Staging, lengths: readonly number[], at: number[]): boolean {
  staging.reset();
  for (let i = 0; i < lengths.length; i++) at[i] = staging.reserve(lengths[i]);
  return staging.commit();
}
