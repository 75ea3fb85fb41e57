import type { Backend } from '../backend.js';

/**
 * `out = 1 / (1 + exp(−x))`. Safe as written for any input: `exp(−x)` overflows to infinity only for `x < −709`, where
 * `1/∞ = 0` is the right limit, and underflows to 0 for large `x`, giving 1. NaN stays NaN.
 */
export const sigmoid: Backend['sigmoid'] = (n, x, out) => {
  for (let i = 0; i < n; i++) out[i] = 1 / (1 + Math.exp(-x[i]));
};

/** `dx = dy·y·(1 − y)`, from the forward output `y`, so no exponential is recomputed. */
export const sigmoidBackward: Backend['sigmoidBackward'] = (n, y, dy, dx) => {
  for (let i = 0; i < n; i++) {
    const yi = y[i];
    dx[i] = dy[i] * yi * (1 - yi);
  }
};
