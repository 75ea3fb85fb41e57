import type { ChannelLayout } from '../backend/backend.js';
import { formatShape, type Shape } from '../shape.js';
import { ShapeError } from '../shape-error.js';
import { Tensor } from '../tensor.js';
import { checkOption, checkShapeOf, checkTensor, outputFor, overlaps } from './output.js';
import { placementOf, runner } from './placement.js';

/** The per-channel statistics of a batch, as {@link batchNormStatistics} returns them. */
export interface BatchNormStatistics {
  /** `[channels]`: the mean of each channel. */
  mean: Tensor;
  /** `[channels]`: the biased variance `Σ(x − mean)²/n` of each channel. */
  variance: Tensor;
}

/** Options of {@link batchNorm}. */
export interface BatchNormOptions {
  /** Added to the variance before the square root. Default `1e-5`. */
  epsilon?: number;
  /** Where to write `y` (may be `x`). */
  out?: Tensor;
  /** Where to write the normalised input `x̂`, which {@link batchNormBackward} needs (may be `x`, not `out`). */
  xhat?: Tensor;
}

/** Options of {@link batchNormBackward}. */
export interface BatchNormBackwardOptions {
  /** The `ε` of the forward pass. Default `1e-5`. */
  epsilon?: number;
  /**
   * Whether the forward pass normalised with the batch's own statistics (training), so that the mean and variance
   * depend on `x`. Default `true`. With `false` (fixed running statistics, inference) `dx = (γ/σ)·dy`.
   */
  batchStatistics?: boolean;
  /** Where to write `dx` (may be `dy` or `xhat`). */
  out?: Tensor;
}

/** `[outer, channels, inner]` of a batch whose axis 1 is the channel axis. */
function layoutOf(op: string, x: Tensor): ChannelLayout {
  if (x.rank < 2) {
    throw new ShapeError(op, `x must be [batch, channels, ...] (2-D or more), found ${formatShape(x.shape)}`);
  }
  const outer = x.shape[0] as number;
  const channels = x.shape[1] as number;
  return { outer, channels, inner: channels === 0 || outer === 0 ? 0 : x.size / (outer * channels) };
}

function checkEpsilon(op: string, epsilon: number): void {
  checkOption(op, 'epsilon', epsilon, Number.isFinite(epsilon) && epsilon >= 0, 'a finite number ≥ 0');
}

/**
 * The per-channel mean and biased variance of a batch, the statistics batch normalisation uses while training:
 * `meanᶜ = Σ x/n`, `varianceᶜ = Σ (x − meanᶜ)²/n` over the `n` values of channel `c` (axis 1), that is over the batch
 * for `[batch, features]` and over batch·height·width for `[batch, channels, height, width]`.
 * @param out - where to write `mean` and `variance`, each `[channels]`
 * @throws {@link ShapeError} when `x` has fewer than two dimensions or no values per channel
 */
export function batchNormStatistics(x: Tensor, out: Partial<BatchNormStatistics> = {}): BatchNormStatistics {
  checkTensor('batchNormStatistics', 'x', x);
  const layout = layoutOf('batchNormStatistics', x);
  const { outer, channels, inner } = layout;
  if (channels > 0 && outer * inner === 0) {
    throw new ShapeError('batchNormStatistics', `x has no values per channel: ${formatShape(x.shape)}`);
  }
  const shape: Shape = [channels];
  const at = placementOf('batchNormStatistics', x, out.mean, out.variance);
  const mean = outputFor('batchNormStatistics', shape, out.mean, at);
  const variance = outputFor('batchNormStatistics', shape, out.variance, at);
  if (overlaps(mean.data, variance.data)) throw new ShapeError('batchNormStatistics', 'mean and variance share memory');
  runner(at).batchNormStatistics(layout, x.data, mean.data, variance.data);
  return { mean, variance };
}

/**
 * Batch normalisation (Ioffe & Szegedy, 2015) with given statistics: `y = γ·(x − mean)/√(variance + ε) + β`, per
 * channel (axis 1). `x` is `[batch, channels, ...]`; `mean`, `variance`, `gamma` (γ) and `beta` (β) are `[channels]`.
 * Also writes `x̂ = (x − mean)/√(variance + ε)` into `options.xhat` for the backward pass.
 * @throws {@link ShapeError} on mismatched shapes, or when `xhat` and `out` share memory
 * @throws RangeError when `epsilon` is negative or not finite
 */
export function batchNorm(
  x: Tensor,
  mean: Tensor,
  variance: Tensor,
  gamma: Tensor,
  beta: Tensor,
  options: BatchNormOptions = {},
): Tensor {
  checkTensor('batchNorm', 'x', x);
  const layout = layoutOf('batchNorm', x);
  const { channels } = layout;
  const epsilon = options.epsilon ?? 1e-5;
  checkEpsilon('batchNorm', epsilon);
  for (const [name, t] of [
    ['mean', mean],
    ['variance', variance],
    ['gamma', gamma],
    ['beta', beta],
  ] as const) {
    checkShapeOf('batchNorm', name, t, [channels]);
  }
  const at = placementOf('batchNorm', x, mean, variance, gamma, beta, options.out, options.xhat);
  const y = outputFor('batchNorm', x.shape, options.out, at);
  const xhat =
    options.xhat === undefined ? Tensor.zeros(x.shape, at) : outputFor('batchNorm', x.shape, options.xhat, at);
  if (overlaps(xhat.data, y.data)) throw new ShapeError('batchNorm', 'xhat and out share memory');
  runner(at).batchNormForward(
    layout,
    epsilon,
    x.data,
    mean.data,
    variance.data,
    gamma.data,
    beta.data,
    xhat.data,
    y.data,
  );
  return y;
}

/**
 * Batch normalisation's gradient, per channel with `σ = √(variance + ε)` and `n` values per channel:
 * adds `Σ dy·x̂` into `dgamma` and `Σ dy` into `dbeta`, and returns
 * `dx = (γ/σ)·(dy − mean(dy) − x̂·mean(dy·x̂))` (batch statistics, the training-mode formula), or `dx = (γ/σ)·dy`
 * with `batchStatistics: false`.
 * @param xhat - the normalised input the forward pass wrote
 * @param dy - `∂L/∂y`, the shape of `xhat`
 * @param variance - the variance the forward pass used, `[channels]`
 * @param gamma - the scale γ, `[channels]`
 * @param dgamma - accumulates `∂L/∂γ`, `[channels]`
 * @param dbeta - accumulates `∂L/∂β`, `[channels]`
 * @throws {@link ShapeError} on mismatched shapes
 */
export function batchNormBackward(
  xhat: Tensor,
  dy: Tensor,
  variance: Tensor,
  gamma: Tensor,
  dgamma: Tensor,
  dbeta: Tensor,
  options: BatchNormBackwardOptions = {},
): Tensor {
  checkTensor('batchNormBackward', 'xhat', xhat);
  const layout = layoutOf('batchNormBackward', xhat);
  const { channels } = layout;
  const epsilon = options.epsilon ?? 1e-5;
  checkEpsilon('batchNormBackward', epsilon);
  checkShapeOf('batchNormBackward', 'dy', dy, xhat.shape);
  for (const [name, t] of [
    ['variance', variance],
    ['gamma', gamma],
    ['dgamma', dgamma],
    ['dbeta', dbeta],
  ] as const) {
    checkShapeOf('batchNormBackward', name, t, [channels]);
  }
  if (overlaps(dgamma.data, dbeta.data)) throw new ShapeError('batchNormBackward', 'dgamma and dbeta share memory');
  const at = placementOf('batchNormBackward', xhat, dy, variance, gamma, dgamma, dbeta, options.out);
  const dx = outputFor('batchNormBackward', xhat.shape, options.out, at);
  runner(at).batchNormBackward(
    layout,
    { epsilon, batchStatistics: options.batchStatistics ?? true },
    xhat.data,
    dy.data,
    variance.data,
    gamma.data,
    dgamma.data,
    dbeta.data,
    dx.data,
  );
  return dx;
}
