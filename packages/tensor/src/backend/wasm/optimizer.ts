import type { Backend } from '../backend.js';
import { jsBackend } from '../js/index.js';
import type { MomentumJob } from './runtime/job-table.js';
import type { WasmRuntime } from './runtime/runtime.js';

/**
 * The momentum update in WebAssembly SIMD, the optimizer update that profiling of a training step puts first (the
 * others are the reference kernels). On arrays in the backend's memory it runs in place, split over the worker threads
 * from `UPDATE_SPLIT_MIN_ELEMENTS` on; on others it is staged, whatever the size: its float32 arithmetic differs from
 * the reference's float64 in the last bit, and a model must train the same wherever its arrays are. A call that runs on
 * the reference because memory could not grow is recorded in the runtime's fallbacks.
 */
export function optimizerKernels(runtime: WasmRuntime): Pick<Backend, 'momentumUpdate'> {
  const split = { placed: runtime.tuning.UPDATE_SPLIT_MIN_ELEMENTS, staged: Number.POSITIVE_INFINITY };
  return {
    momentumUpdate(n, step, g, velocity, theta) {
      const frame = runtime.begin(runtime.placed(g, velocity, theta), split, n);
      const gAt = frame.input(g, 0, n);
      const velocityAt = frame.update(velocity, 0, n);
      const thetaAt = frame.update(theta, 0, n);
      if (!frame.commit()) {
        runtime.fallbacks.record('momentumUpdate');
        jsBackend.momentumUpdate(n, step, g, velocity, theta);
        return;
      }
      const { learningRate, momentum, gradScale } = step;
      const nesterov = step.nesterov ? 1 : 0;
      if (frame.helpers === 0) {
        frame.exports.momentum_update(n, learningRate, momentum, gradScale, nesterov, gAt, velocityAt, thetaAt);
      } else {
        const job: MomentumJob = {
          kind: 'momentum',
          n,
          learningRate,
          momentum,
          gradScale,
          nesterov,
          g: gAt,
          velocity: velocityAt,
          theta: thetaAt,
        };
        runtime.runInRanges(frame, job, n);
      }
      frame.finish();
    },
  };
}
