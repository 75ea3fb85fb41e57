/**
 * `out = 1 / (1 + exp(−x))`. Safe as written for any input: `exp(−x)` overflows to infinity only for `x < −709`, where
 * `1/∞ = 0` is the right limit, and underflows to 0 for large `x`, giving 1. NaN stays NaN.
 */
export function sigmoid(n: number, x: Float32Array, out: Float32Array): void {
  for (let i = 0; i < n; i++) out[i] = 1 / (1 + Math.exp(-x[i]));
}

/** `dx = dy·y·(1 − y)`, from the forward output `y`, so no exponential is recomputed. */
export function sigmoidBackward(n: number, y: Float32Array, dy: Float32Array, dx: Float32Array): void {
  for (let i = 0; i < n; i++) {
    const yi = y[i];
    dx[i] = dy[i] * yi * (1 - yi);
  }
}
