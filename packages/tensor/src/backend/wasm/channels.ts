import type { Backend } from '../backend.js';
import { jsBackend } from '../js/index.js';
import type { KernelInstance } from './kernels.js';
import { MIN_ELEMENTS, Staging } from './staging.js';

/** The kernels {@link channelKernels} provides. */
export type ChannelKernels = Pick<
  Backend,
  'batchNormStatistics' | 'batchNormForward' | 'batchNormBackward' | 'addChannelBias'
>;

/**
 * The per-channel kernels of a convolutional network, in WebAssembly: batch normalisation's statistics, forward and
 * backward passes (float64 sums and arithmetic, as in the reference) and a convolution's bias. Operands are staged in
 * the instance's memory and results copied back; small arrays go to the reference kernels.
 */
export function channelKernels(kernels: KernelInstance, base: number): ChannelKernels {
  const staging = new Staging(kernels, base);
  const wasm = kernels.exports;
  return {
    batchNormStatistics(outer, channels, inner, x, mean, variance) {
      const n = outer * channels * inner;
      staging.reset();
      const xAt = staging.reserve(n);
      const meanAt = staging.reserve(channels);
      const varianceAt = staging.reserve(channels);
      if (n < MIN_ELEMENTS || outer === 0 || inner === 0 || !staging.commit()) {
        jsBackend.batchNormStatistics(outer, channels, inner, x, mean, variance);
        return;
      }
      staging.copyIn(xAt, x, 0, n);
      wasm.batch_norm_statistics(outer, channels, inner, xAt, meanAt, varianceAt);
      staging.copyOut(meanAt, mean, 0, channels);
      staging.copyOut(varianceAt, variance, 0, channels);
    },
    batchNormForward(outer, channels, inner, epsilon, x, mean, variance, gamma, beta, xhat, y) {
      const n = outer * channels * inner;
      staging.reset();
      const xAt = staging.reserve(n);
      const meanAt = staging.reserve(channels);
      const varianceAt = staging.reserve(channels);
      const gammaAt = staging.reserve(channels);
      const betaAt = staging.reserve(channels);
      const yAt = staging.reserve(n);
      if (n < MIN_ELEMENTS || outer === 0 || inner === 0 || !staging.commit()) {
        jsBackend.batchNormForward(outer, channels, inner, epsilon, x, mean, variance, gamma, beta, xhat, y);
        return;
      }
      staging.copyIn(xAt, x, 0, n);
      staging.copyIn(meanAt, mean, 0, channels);
      staging.copyIn(varianceAt, variance, 0, channels);
      staging.copyIn(gammaAt, gamma, 0, channels);
      staging.copyIn(betaAt, beta, 0, channels);
      // x̂ overwrites the staged x, which is read element by element just before.
      wasm.batch_norm_forward(outer, channels, inner, epsilon, xAt, meanAt, varianceAt, gammaAt, betaAt, xAt, yAt);
      staging.copyOut(xAt, xhat, 0, n);
      staging.copyOut(yAt, y, 0, n);
    },
    batchNormBackward(outer, channels, inner, epsilon, batchStatistics, xhat, dy, variance, gamma, dgamma, dbeta, dx) {
      const n = outer * channels * inner;
      staging.reset();
      const xhatAt = staging.reserve(n);
      const dyAt = staging.reserve(n);
      const varianceAt = staging.reserve(channels);
      const gammaAt = staging.reserve(channels);
      const dgammaAt = staging.reserve(channels);
      const dbetaAt = staging.reserve(channels);
      if (n < MIN_ELEMENTS || outer === 0 || inner === 0 || !staging.commit()) {
        jsBackend.batchNormBackward(
          outer,
          channels,
          inner,
          epsilon,
          batchStatistics,
          xhat,
          dy,
          variance,
          gamma,
          dgamma,
          dbeta,
          dx,
        );
        return;
      }
      staging.copyIn(xhatAt, xhat, 0, n);
      staging.copyIn(dyAt, dy, 0, n);
      staging.copyIn(varianceAt, variance, 0, channels);
      staging.copyIn(gammaAt, gamma, 0, channels);
      staging.copyIn(dgammaAt, dgamma, 0, channels);
      staging.copyIn(dbetaAt, dbeta, 0, channels);
      wasm.batch_norm_backward(
        outer,
        channels,
        inner,
        epsilon,
        batchStatistics ? 1 : 0,
        xhatAt,
        dyAt,
        varianceAt,
        gammaAt,
        dgammaAt,
        dbetaAt,
      );
      staging.copyOut(dgammaAt, dgamma, 0, channels);
      staging.copyOut(dbetaAt, dbeta, 0, channels);
      staging.copyOut(dyAt, dx, 0, n);
    },
    addChannelBias(batch, channels, spatial, x, bias, out) {
      const n = batch * channels * spatial;
      staging.reset();
      const xAt = staging.reserve(n);
      const biasAt = staging.reserve(channels);
      if (n < MIN_ELEMENTS || !staging.commit()) {
        jsBackend.addChannelBias(batch, channels, spatial, x, bias, out);
        return;
      }
      staging.copyIn(xAt, x, 0, n);
      staging.copyIn(biasAt, bias, 0, channels);
      wasm.add_channel_bias(batch, channels, spatial, xAt, biasAt);
      staging.copyOut(xAt, out, 0, n);
    },
  };
}
