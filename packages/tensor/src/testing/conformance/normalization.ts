import type { ChannelLayout } from '../../backend/backend.js';
import { type CaseList, expectExact, f32, random } from './harness.js';

/**
 * Adds the cases of batch normalisation (`batchNormStatistics`, `batchNormForward`, `batchNormBackward`): a batch
 * worked out by hand, random layouts against the reference (dense `[batch, features]` and image-shaped ones), and the
 * in-place forms.
 */
export function addNormalizationCases(list: CaseList): void {
  addHandCase(list);
  for (const [outer, channels, inner] of [
    [1, 1, 1],
    [7, 5, 1],
    [3, 4, 5],
    [2, 3, 16],
    [1, 13, 6],
    [8, 6, 49],
    [300, 4, 1],
  ] as const) {
    addRandomCases(list, { outer, channels, inner });
  }
  addInPlaceCase(list);
}

// Batch normalisation over [outer 2, channels 2, inner 2]: channel 0 holds 1, 3, 1, 3 (mean 2, variance 1), channel 1
// holds 0, 4, 4, 0 (mean 2, variance 4), so with ε = 0 every x̂ is ±1 and every result is exact.
function addHandCase(list: CaseList): void {
  const { backend } = list;
  list.add('batchNormStatistics, batchNormForward, batchNormBackward by hand', () => {
    const layout: ChannelLayout = { outer: 2, channels: 2, inner: 2 };
    const x = f32([1, 3, 0, 4, 1, 3, 4, 0]);
    const mean = new Float32Array(2);
    const variance = new Float32Array(2);
    backend.batchNormStatistics(layout, x, mean, variance);
    expectExact('mean', mean, [2, 2]);
    expectExact('variance', variance, [1, 4]);
    const gamma = f32([2, 0.5]);
    const xhat = new Float32Array(8);
    const y = new Float32Array(8);
    backend.batchNormForward(layout, 0, x, mean, variance, gamma, f32([1, -1]), xhat, y);
    expectExact('xhat', xhat, [-1, 1, -1, 1, -1, 1, 1, -1]);
    expectExact('y', y, [-1, 3, -1.5, -0.5, -1, 3, -0.5, -1.5]);
    // Channel 0: dy = 1, 0, 0, 3, so mean(dy) = 1, mean(dy·x̂) = 0.5 and dx = (2/1)·(dy − 1 − 0.5·x̂).
    // Channel 1: dy = 2, 2, 0, 0, so mean(dy) = 1, mean(dy·x̂) = 0 and dx = (0.5/2)·(dy − 1).
    const dy = f32([1, 0, 2, 2, 0, 3, 0, 0]);
    const dgamma = f32([1, 1]);
    const dbeta = f32([0, 0]);
    const dx = new Float32Array(8);
    backend.batchNormBackward(
      layout,
      { epsilon: 0, batchStatistics: true },
      xhat,
      dy,
      variance,
      gamma,
      dgamma,
      dbeta,
      dx,
    );
    expectExact('dx', dx, [1, -3, 0.25, 0.25, -1, 3, -0.25, -0.25]);
    expectExact('dgamma (accumulated onto 1)', dgamma, [3, 1]);
    expectExact('dbeta', dbeta, [4, 4]);
    // With fixed statistics the mean and variance are constants: dx = (γ/σ)·dy.
    const fixed = { epsilon: 0, batchStatistics: false };
    backend.batchNormBackward(layout, fixed, xhat, dy, variance, gamma, dgamma, dbeta, dx);
    expectExact('dx (fixed statistics)', dx, [2, 0, 0.5, 0.5, 0, 6, 0, 0]);
    expectExact('dgamma', dgamma, [5, 1]);
  });
}

function addRandomCases(list: CaseList, layout: ChannelLayout): void {
  const { outer, channels, inner } = layout;
  const n = outer * channels * inner;
  const label = `[${outer}, ${channels}, ${inner}]`;
  list.add(`batchNormStatistics ${label}`, (rng) => {
    // An offset mean, so a one-pass E[x²] − E[x]² would lose the variance to cancellation.
    const x = random(rng, n).map((v) => v + 100);
    list.compareUpdate(['mean', 'variance'], [new Float32Array(channels), new Float32Array(channels)], (k, [m, v]) =>
      k.batchNormStatistics(layout, x, m, v),
    );
  });
  list.add(`batchNormForward ${label}`, (rng) => {
    const x = random(rng, n);
    const mean = random(rng, channels);
    const variance = random(rng, channels).map(Math.abs);
    const gamma = random(rng, channels);
    const beta = random(rng, channels);
    list.compareUpdate(['xhat', 'y'], [new Float32Array(n), new Float32Array(n)], (k, [xhat, y]) =>
      k.batchNormForward(layout, 1e-5, x, mean, variance, gamma, beta, xhat, y),
    );
  });
  for (const batchStatistics of [true, false]) {
    list.add(`batchNormBackward ${label}${batchStatistics ? '' : ', fixed statistics'}`, (rng) => {
      const xhat = random(rng, n, 0, 2);
      const dy = random(rng, n);
      const variance = random(rng, channels).map(Math.abs);
      const gamma = random(rng, channels);
      const step = { epsilon: 1e-5, batchStatistics };
      list.compareUpdate(
        ['dgamma', 'dbeta', 'dx'],
        [random(rng, channels), random(rng, channels), new Float32Array(n)],
        (k, [dgamma, dbeta, dx]) => k.batchNormBackward(layout, step, xhat, dy, variance, gamma, dgamma, dbeta, dx),
      );
    });
  }
}

function addInPlaceCase(list: CaseList): void {
  list.add('batchNormForward and batchNormBackward run in place (y === x, dx === dy)', (rng) => {
    // Large enough that a backend with a separate path for small arrays runs its main one.
    const layout: ChannelLayout = { outer: 6, channels: 3, inner: 50 };
    const n = layout.outer * layout.channels * layout.inner;
    const x = random(rng, n);
    const variance = random(rng, layout.channels).map(Math.abs);
    const gamma = random(rng, layout.channels);
    const other = random(rng, n);
    const step = { epsilon: 1e-5, batchStatistics: true };
    list.compareInPlace(x, [
      [
        'batchNormForward',
        (k, d) => k.batchNormForward(layout, 1e-5, d, gamma, variance, gamma, gamma, other.slice(), d),
      ],
      [
        'batchNormBackward',
        (k, d) => k.batchNormBackward(layout, step, other, d, variance, gamma, gamma.slice(), gamma.slice(), d),
      ],
    ]);
  });
}
