/** `out = tanh(x)`; `Math.tanh` saturates to ±1 without overflow. */
export function tanh(n: number, x: Float32Array, out: Float32Array): void {
  for (let i = 0; i < n; i++) out[i] = Math.tanh(x[i]);
}

/** `dx = dy·(1 − y²)`, from the forward output `y`. */
export function tanhBackward(n: number, y: Float32Array, dy: Float32Array, dx: Float32Array): void {
  for (let i = 0; i < n; i++) {
    const yi = y[i];
    dx[i] = dy[i] * (1 - yi * yi);
  }
}
