import type { Backend } from '../backend.js';
import { jsBackend } from '../js/index.js';
import type { ResidentArena } from './arena.js';
import type { KernelInstance } from './kernels.js';
import type { ReferenceFallbacks } from './reference-fallbacks.js';
import { MIN_ELEMENTS, Staging } from './staging.js';
import type { FillJob, MomentumJob, WorkerPool } from './worker-pool.js';

/**
 * Momentum updates and fills of at least this many elements are split with the worker threads. On 2 cores the 784 ×
 * 128 weight matrix of the MNIST network's first layer (100 352 elements) updated in 40% of the time: each core
 * updates the half of it that stays in its own cache, instead of one core streaming all five arrays. A fill (zeroing
 * that layer's gradient before each backward pass) is split the same way, so that each half of the gradient is in the
 * cache of the core whose share of the weight-gradient product accumulates into it.
 */
const PARALLEL_MIN_ELEMENTS = 1 << 15;

/** The kernels {@link elementwiseKernels} provides. */
export type ElementwiseKernels = Pick<
  Backend,
  'momentumUpdate' | 'relu' | 'reluBackward' | 'addRowVector' | 'sumAxis' | 'fill'
>;

/** Resident arrays and the instance over their memory, for kernels that run on them in place. */
export interface ResidentMemory {
  kernels: KernelInstance;
  arena: ResidentArena;
  /** Worker threads on that memory, if any. */
  pool?: WorkerPool;
}

/**
 * The row-wise and elementwise kernels that profiling of a training step put next after gemm (the momentum update
 * above all), as WebAssembly SIMD. When every array of a call is resident (`Tensor.resident`) the kernel runs on them
 * in place; otherwise the call copies its operands into the plain instance's memory (a memcpy), runs there, and copies
 * the results back. Small arrays go to the reference kernel. A momentum update that goes to the reference because
 * memory could not grow is recorded in `fallbacks`: it rounds differently.
 */
export function elementwiseKernels(
  kernels: KernelInstance,
  base: number,
  fallbacks: ReferenceFallbacks,
  resident?: ResidentMemory,
): ElementwiseKernels {
  const staging = new Staging(kernels, base);
  const wasm = kernels.exports;
  const arena = resident?.arena;
  const inPlace = resident?.kernels.exports;
  const at = (array: Float32Array) => array.byteOffset;
  // Byte offsets of the current call's staged operands, reused so that a kernel call allocates nothing.
  const slots = [0, 0, 0];
  return {
    momentumUpdate(n, learningRate, momentum, gradScale, nesterov, g, velocity, theta) {
      if (inPlace && arena?.holds(g) && arena.holds(velocity) && arena.holds(theta)) {
        const flag = nesterov ? 1 : 0;
        const helpers = n >= PARALLEL_MIN_ELEMENTS ? (resident?.pool?.ready() ?? 0) : 0;
        if (helpers === 0) {
          inPlace.momentum_update(n, learningRate, momentum, gradScale, flag, at(g), at(velocity), at(theta));
          return;
        }
        const job: MomentumJob = {
          kind: 'momentum',
          n,
          learningRate,
          momentum,
          gradScale,
          nesterov: flag,
          g: at(g),
          velocity: at(velocity),
          theta: at(theta),
        };
        splitRanges(resident as ResidentMemory, job, helpers + 1, (range, start, n) => ({
          ...range,
          n,
          g: range.g + 4 * start,
          velocity: range.velocity + 4 * start,
          theta: range.theta + 4 * start,
        }));
        return;
      }
      // Always the WebAssembly loop, whatever the size: its float32 arithmetic differs from the reference's float64 in
      // the last bit, and a model must train the same whether its arrays are resident, staged, large or small.
      if (!layout(staging, [n, n, n], slots)) {
        fallbacks.record('momentumUpdate');
        jsBackend.momentumUpdate(n, learningRate, momentum, gradScale, nesterov, g, velocity, theta);
        return;
      }
      const [pg, pv, pt] = slots;
      staging.copyIn(pg, g, 0, n);
      staging.copyIn(pv, velocity, 0, n);
      staging.copyIn(pt, theta, 0, n);
      wasm.momentum_update(n, learningRate, momentum, gradScale, nesterov ? 1 : 0, pg, pv, pt);
      staging.copyOut(pv, velocity, 0, n);
      staging.copyOut(pt, theta, 0, n);
    },
    fill(n, value, out) {
      // A resident array is filled in place; an ordinary one by the engine's own fill, which nothing beats.
      if (!inPlace || !arena?.holds(out)) {
        jsBackend.fill(n, value, out);
        return;
      }
      const helpers = n >= PARALLEL_MIN_ELEMENTS ? (resident?.pool?.ready() ?? 0) : 0;
      if (helpers === 0) {
        inPlace.fill(n, value, at(out));
        return;
      }
      const job: FillJob = { kind: 'fill', n, value, out: at(out) };
      splitRanges(resident as ResidentMemory, job, helpers + 1, (range, start, count) => ({
        ...range,
        n: count,
        out: range.out + 4 * start,
      }));
    },
    relu(n, x, out) {
      if (inPlace && arena?.holds(x) && arena.holds(out)) {
        inPlace.relu(n, at(x), at(out));
        return;
      }
      if (n < MIN_ELEMENTS || !layout(staging, [n], slots)) {
        jsBackend.relu(n, x, out);
        return;
      }
      staging.copyIn(slots[0], x, 0, n);
      wasm.relu(n, slots[0], slots[0]);
      staging.copyOut(slots[0], out, 0, n);
    },
    reluBackward(n, x, dy, dx) {
      if (inPlace && arena?.holds(x) && arena.holds(dy) && arena.holds(dx)) {
        inPlace.relu_backward(n, at(x), at(dy), at(dx));
        return;
      }
      if (n < MIN_ELEMENTS || !layout(staging, [n, n], slots)) {
        jsBackend.reluBackward(n, x, dy, dx);
        return;
      }
      const [px, pdy] = slots;
      staging.copyIn(px, x, 0, n);
      staging.copyIn(pdy, dy, 0, n);
      wasm.relu_backward(n, px, pdy, pdy);
      staging.copyOut(pdy, dx, 0, n);
    },
    addRowVector(rows, cols, x, v, out) {
      if (inPlace && arena?.holds(x) && arena.holds(v) && arena.holds(out)) {
        inPlace.add_row_vector(rows, cols, at(x), at(v), at(out));
        return;
      }
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

/**
 * Runs an elementwise job over `job.n` elements in `parts` contiguous ranges, the first on the calling thread;
 * `range(job, start, n)` is the job restricted to elements `start … start + n`. Ranges are multiples of 16 floats, so
 * for arrays that start on a cache line (resident arrays do) no two threads write one line; and they are the same
 * for every job of the same length, so a momentum update and a fill of one array give each thread the same elements.
 * Each element's arithmetic is the same whoever does it, so the result does not depend on the number of threads.
 */
function splitRanges<Job extends MomentumJob | FillJob>(
  memory: ResidentMemory,
  job: Job,
  parts: number,
  range: (job: Job, start: number, n: number) => Job,
): void {
  const ranges: Job[] = [];
  let start = 0;
  for (let p = 0; p < parts; p++) {
    const stop = p === parts - 1 ? job.n : Math.round((job.n * (p + 1)) / parts / 16) * 16;
    ranges.push(range(job, start, stop - start));
    start = stop;
  }
  const [own, ...shares] = ranges;
  (memory.pool as WorkerPool).run(own, shares);
}

/** Lays out one array per entry of `lengths`, writing the byte offsets to `at`; false when memory cannot grow. */
function layout(staging: Staging, lengths: readonly number[], slots: number[]): boolean {
  staging.reset();
  for (let i = 0; i < lengths.length; i++) slots[i] = staging.reserve(lengths[i]);
  return staging.commit();
}
