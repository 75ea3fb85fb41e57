import type { Backend } from '../backend.js';
import { jsBackend } from '../js/index.js';
import type { CallFrame } from './runtime/call-frame.js';
import type { BatchNormBackwardJob, BatchNormForwardJob, BatchNormStatisticsJob } from './runtime/job-table.js';
import type { WasmRuntime } from './runtime/runtime.js';

/** The kernels {@link channelKernels} provides. */
export type ChannelKernels = Pick<
  Backend,
  'batchNormStatistics' | 'batchNormForward' | 'batchNormBackward' | 'addChannelBias'
>;

/**
 * The per-channel kernels of a convolutional network, in WebAssembly: batch normalisation's statistics, forward and
 * backward passes (float64 sums and arithmetic, as in the reference) and a convolution's bias. Small calls go to the
 * reference kernels (`STAGED_MIN_ELEMENTS`) wherever their arrays are, since the WebAssembly statistics sum in another
 * order than the reference's and a result must not depend on where its arrays live. Large calls on arrays in the
 * backend's memory share their channels out to the worker threads (`LAYER_SPLIT_MIN_ELEMENTS`).
 */
export function channelKernels(runtime: WasmRuntime): ChannelKernels {
  const { STAGED_MIN_ELEMENTS, LAYER_SPLIT_MIN_ELEMENTS } = runtime.tuning;
  return {
    batchNormStatistics(layout, x, mean, variance) {
      const { outer, channels, inner } = layout;
      const n = outer * channels * inner;
      if (n < STAGED_MIN_ELEMENTS) return jsBackend.batchNormStatistics(layout, x, mean, variance);
      const frame = runtime.begin(runtime.placed(x, mean, variance), LAYER_SPLIT_MIN_ELEMENTS, n);
      const xAt = frame.input(x, 0, n);
      const meanAt = frame.output(mean, 0, channels);
      const varianceAt = frame.output(variance, 0, channels);
      if (!frame.commit()) return jsBackend.batchNormStatistics(layout, x, mean, variance);
      const job: BatchNormStatisticsJob = {
        kind: 'batchNormStatistics',
        ...channelRange(layout),
        x: xAt,
        mean: meanAt,
        variance: varianceAt,
      };
      runOverChannels(runtime, frame, job);
      frame.finish();
    },
    batchNormForward(layout, epsilon, x, mean, variance, gamma, beta, xhat, y) {
      const { outer, channels, inner } = layout;
      const n = outer * channels * inner;
      if (n < STAGED_MIN_ELEMENTS) {
        return jsBackend.batchNormForward(layout, epsilon, x, mean, variance, gamma, beta, xhat, y);
      }
      const frame = runtime.begin(runtime.placed(x, mean, variance, gamma, beta, xhat, y), LAYER_SPLIT_MIN_ELEMENTS, n);
      const xAt = frame.input(x, 0, n);
      const meanAt = frame.input(mean, 0, channels);
      const varianceAt = frame.input(variance, 0, channels);
      const gammaAt = frame.input(gamma, 0, channels);
      const betaAt = frame.input(beta, 0, channels);
      const xhatAt = frame.output(xhat, 0, n);
      const yAt = frame.output(y, 0, n);
      if (!frame.commit()) return jsBackend.batchNormForward(layout, epsilon, x, mean, variance, gamma, beta, xhat, y);
      const job: BatchNormForwardJob = {
        kind: 'batchNormForward',
        ...channelRange(layout),
        epsilon,
        x: xAt,
        mean: meanAt,
        variance: varianceAt,
        gamma: gammaAt,
        beta: betaAt,
        xhat: xhatAt,
        y: yAt,
      };
      runOverChannels(runtime, frame, job);
      frame.finish();
    },
    batchNormBackward: batchNormBackwardKernel(runtime),
    addChannelBias(batch, channels, spatial, x, bias, out) {
      const n = batch * channels * spatial;
      if (n < STAGED_MIN_ELEMENTS) return jsBackend.addChannelBias(batch, channels, spatial, x, bias, out);
      const frame = runtime.begin(runtime.placed(x, bias, out));
      const xAt = frame.input(x, 0, n);
      const biasAt = frame.input(bias, 0, channels);
      const outAt = frame.output(out, 0, n);
      if (!frame.commit()) return jsBackend.addChannelBias(batch, channels, spatial, x, bias, out);
      frame.exports.add_channel_bias(batch, channels, spatial, xAt, biasAt, outAt);
      frame.finish();
    },
  };
}

/** Batch normalisation's backward pass, laid out and split as the other kernels of {@link channelKernels}. */
function batchNormBackwardKernel(runtime: WasmRuntime): Backend['batchNormBackward'] {
  const { STAGED_MIN_ELEMENTS, LAYER_SPLIT_MIN_ELEMENTS } = runtime.tuning;
  return (layout, step, xhat, dy, variance, gamma, dgamma, dbeta, dx) => {
    const { outer, channels, inner } = layout;
    const n = outer * channels * inner;
    if (n < STAGED_MIN_ELEMENTS) {
      return jsBackend.batchNormBackward(layout, step, xhat, dy, variance, gamma, dgamma, dbeta, dx);
    }
    const frame = runtime.begin(
      runtime.placed(xhat, dy, variance, gamma, dgamma, dbeta, dx),
      LAYER_SPLIT_MIN_ELEMENTS,
      n,
    );
    const xhatAt = frame.input(xhat, 0, n);
    const dyAt = frame.input(dy, 0, n);
    const varianceAt = frame.input(variance, 0, channels);
    const gammaAt = frame.input(gamma, 0, channels);
    const dgammaAt = frame.update(dgamma, 0, channels);
    const dbetaAt = frame.update(dbeta, 0, channels);
    // dx may be dy or xhat: then it shares their slot, and the kernel reads each element before it writes it.
    const dxAt = frame.output(dx, 0, n);
    if (!frame.commit()) {
      return jsBackend.batchNormBackward(layout, step, xhat, dy, variance, gamma, dgamma, dbeta, dx);
    }
    const job: BatchNormBackwardJob = {
      kind: 'batchNormBackward',
      ...channelRange(layout),
      epsilon: step.epsilon,
      batchStatistics: step.batchStatistics ? 1 : 0,
      xhat: xhatAt,
      dy: dyAt,
      variance: varianceAt,
      gamma: gammaAt,
      dgamma: dgammaAt,
      dbeta: dbetaAt,
      dx: dxAt,
    };
    runOverChannels(runtime, frame, job);
    frame.finish();
  };
}

/** A layout's fields as the batch normalisation jobs take them, covering every channel. */
function channelRange(layout: { outer: number; channels: number; inner: number }) {
  const { outer, channels, inner } = layout;
  return { outer, channels, inner, from: 0, to: channels };
}

/**
 * Runs a batch normalisation job over all its channels, in contiguous ranges of channels over the frame's threads (a
 * channel's sums and values are the same whoever computes them).
 */
function runOverChannels(
  runtime: WasmRuntime,
  frame: CallFrame,
  job: BatchNormStatisticsJob | BatchNormForwardJob | BatchNormBackwardJob,
): void {
  runtime.runInParts(frame, job, job.channels, (from, to) => ({ ...job, from, to }));
}
