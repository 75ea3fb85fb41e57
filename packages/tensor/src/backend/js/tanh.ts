import type { Backend } from '../backend.js';

/** `out = tanh(x)`; `Math.tanh` saturates to ±1 without overflow. */
export const tanh: Backend['tanh'] = (n, x, out) => {
  for (let i = 0; i < n; i++) out[i] = Math.tanh(x[i]);
};

/** `dx = dy·(1 − y²)`, from the forward output `y`. */
export const tanhBackward: Backend['tanhBackward'] = (n, y, dy, dx) => {
  for (let i = 0; i < n; i++) {
    const yi = y[i];
    dx[i] = dy[i] * (1 - yi * yi);
  }
};
