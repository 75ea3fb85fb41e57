/** `out = max(x, 0)`. NaN stays NaN, so a diverging network shows up instead of being silently clipped. */
export function relu(n: number, x: Float32Array, out: Float32Array): void {
  for (let i = 0; i < n; i++) {
    const v = x[i];
    out[i] = Math.max(v, 0);
  }
}

/** `dx = dy` where the forward input was positive, else 0 (the subgradient at 0 is taken as 0). */
export function reluBackward(n: number, x: Float32Array, dy: Float32Array, dx: Float32Array): void {
  for (let i = 0; i < n; i++) dx[i] = x[i] > 0 ? dy[i] : 0;
}
