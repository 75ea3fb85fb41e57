import type { Backend } from '../backend.js';

// Batch normalisation (S. Ioffe and C. Szegedy, "Batch Normalization: Accelerating Deep Network Training by Reducing
// Internal Covariate Shift", ICML 2015) over an array viewed as `[outer, channels, inner]`: `[batch, features]` is
// `inner = 1`, `[batch, channels, height, width]` is `inner = height·width`. Each channel's statistics run over its
// `outer·inner` values. The channel is the outer loop so that every sum is one float64 local and nothing is
// allocated; the inner runs stay contiguous.

/**
 * Per-channel mean and biased variance `Σ(x − mean)²/n`, `n = outer·inner ≥ 1`, in two passes (the one-pass
 * `E[x²] − E[x]²` cancels catastrophically when the mean is large against the spread). Sums run in float64.
 */
export const batchNormStatistics: Backend['batchNormStatistics'] = (layout, x, mean, variance) => {
  const { outer, channels, inner } = layout;
  const n = outer * inner;
  const stride = channels * inner;
  for (let c = 0; c < channels; c++) {
    let sum = 0;
    for (let o = 0; o < outer; o++) {
      const start = o * stride + c * inner;
      for (let i = start; i < start + inner; i++) sum += x[i];
    }
    const m = sum / n;
    let squares = 0;
    for (let o = 0; o < outer; o++) {
      const start = o * stride + c * inner;
      for (let i = start; i < start + inner; i++) {
        const d = x[i] - m;
        squares += d * d;
      }
    }
    mean[c] = m;
    variance[c] = squares / n;
  }
};

/**
 * `x̂ = (x − mean)/√(variance + ε)` and `y = γ·x̂ + β`, per channel. `xhat` and `y` may be `x`, not each other.
 */
export const batchNormForward: Backend['batchNormForward'] = (
  layout,
  epsilon,
  x,
  mean,
  variance,
  gamma,
  beta,
  xhat,
  y,
) => {
  const { outer, channels, inner } = layout;
  const stride = channels * inner;
  for (let c = 0; c < channels; c++) {
    const m = mean[c];
    const invStd = 1 / Math.sqrt(variance[c] + epsilon);
    const g = gamma[c];
    const b = beta[c];
    for (let o = 0; o < outer; o++) {
      const start = o * stride + c * inner;
      for (let i = start; i < start + inner; i++) {
        const h = (x[i] - m) * invStd;
        xhat[i] = h;
        y[i] = g * h + b;
      }
    }
  }
};

/**
 * Batch normalisation's backward pass, per channel with `n = outer·inner` and `σ = √(variance + ε)`:
 * `dγ += Σ dy·x̂`, `dβ += Σ dy`, and `dx = (γ/σ)·(dy − mean(dy) − x̂·mean(dy·x̂))` when the forward pass normalised
 * with the batch's own statistics (`batchStatistics`), or `dx = (γ/σ)·dy` when it used fixed (running) ones. The
 * sums of a channel are complete before its `dx` is written, so `dx` may be `dy` or `xhat`.
 */
export const batchNormBackward: Backend['batchNormBackward'] = (
  layout,
  step,
  xhat,
  dy,
  variance,
  gamma,
  dgamma,
  dbeta,
  dx,
) => {
  const { outer, channels, inner } = layout;
  const { epsilon, batchStatistics } = step;
  const n = outer * inner;
  const stride = channels * inner;
  for (let c = 0; c < channels; c++) {
    let sumDy = 0;
    let sumDyXhat = 0;
    for (let o = 0; o < outer; o++) {
      const start = o * stride + c * inner;
      for (let i = start; i < start + inner; i++) {
        sumDy += dy[i];
        sumDyXhat += dy[i] * xhat[i];
      }
    }
    dgamma[c] += sumDyXhat;
    dbeta[c] += sumDy;
    const k = gamma[c] / Math.sqrt(variance[c] + epsilon);
    const meanDy = batchStatistics && n > 0 ? sumDy / n : 0;
    const meanDyXhat = batchStatistics && n > 0 ? sumDyXhat / n : 0;
    for (let o = 0; o < outer; o++) {
      const start = o * stride + c * inner;
      for (let i = start; i < start + inner; i++) dx[i] = k * (dy[i] - meanDy - xhat[i] * meanDyXhat);
    }
  }
};
