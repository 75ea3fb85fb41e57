import type { Backend } from '../backend.js';

/** `√(2/π)`. */
const SQRT_2_OVER_PI = 0.7978845608028654;
/** The cubic coefficient of the tanh approximation. */
const CUBIC = 0.044715;

/**
 * GELU in the tanh approximation of Hendrycks & Gimpel ("Gaussian Error Linear Units", 2016, eq. 2):
 * `out = x/2·(1 + tanh(√(2/π)·(x + 0.044715·x³)))`. The cube cannot overflow: `|x| ≤ 3.4·10³⁸` as a float32 gives
 * `|x³| < 10¹¹⁶` in float64, and `tanh` saturates.
 */
export const gelu: Backend['gelu'] = (n, x, out) => {
  for (let i = 0; i < n; i++) {
    const v = x[i];
    out[i] = 0.5 * v * (1 + Math.tanh(SQRT_2_OVER_PI * (v + CUBIC * v * v * v)));
  }
};

/**
 * The derivative of {@link gelu}, from the forward input `x`: with `u = √(2/π)·(x + 0.044715·x³)` and `t = tanh(u)`,
 * `dx = dy·(½·(1 + t) + ½·x·(1 − t²)·√(2/π)·(1 + 3·0.044715·x²))`.
 */
export const geluBackward: Backend['geluBackward'] = (n, x, dy, dx) => {
  for (let i = 0; i < n; i++) {
    const v = x[i];
    const v2 = v * v;
    const t = Math.tanh(SQRT_2_OVER_PI * (v + CUBIC * v2 * v));
    const du = SQRT_2_OVER_PI * (1 + 3 * CUBIC * v2);
    dx[i] = dy[i] * (0.5 * (1 + t) + 0.5 * v * (1 - t * t) * du);
  }
};
