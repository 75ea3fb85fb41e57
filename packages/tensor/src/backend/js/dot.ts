import type { Backend } from '../backend.js';

/** `Σ x[i]·y[i]` in float64. */
export const dot: Backend['dot'] = (n, x, y) => {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += x[i] * y[i];
  return sum;
};

/** Smallest probability the cross-entropy takes a logarithm of: `ln 1e-30 ≈ −69`, large but finite. */
const EPSILON = 1e-30;

/** `−Σ t[i]·ln(max(p[i], ε))`, skipping `t[i] = 0` so that `0·ln 0` counts as 0. */
export const crossEntropySum: Backend['crossEntropySum'] = (n, p, t) => {
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const target = t[i];
    if (target !== 0) sum -= target * Math.log(Math.max(p[i], EPSILON));
  }
  return sum;
};
