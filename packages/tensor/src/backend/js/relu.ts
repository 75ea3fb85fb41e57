import type { Backend } from '../backend.js';

/** `out = max(x, 0)`. NaN stays NaN, so a diverging network shows up instead of being silently clipped. */
export const relu: Backend['relu'] = (n, x, out) => {
  for (let i = 0; i < n; i++) {
    const v = x[i];
    out[i] = Math.max(v, 0);
  }
};

/** `dx = dy` where the forward input was positive, else 0 (the subgradient at 0 is taken as 0). */
export const reluBackward: Backend['reluBackward'] = (n, x, dy, dx) => {
  for (let i = 0; i < n; i++) dx[i] = x[i] > 0 ? dy[i] : 0;
};
