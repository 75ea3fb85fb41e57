import type { Backend } from '../backend.js';

// Elementwise reference kernels. Plain indexed loops: V8 compiles them to tight scalar code, and a SIMD backend
// replaces them wholesale.

/** `out = a + b`. */
export const add: Backend['add'] = (n, a, b, out) => {
  for (let i = 0; i < n; i++) out[i] = a[i] + b[i];
};

/** `out = a − b`. */
export const sub: Backend['sub'] = (n, a, b, out) => {
  for (let i = 0; i < n; i++) out[i] = a[i] - b[i];
};

/** `out = a · b`. */
export const mul: Backend['mul'] = (n, a, b, out) => {
  for (let i = 0; i < n; i++) out[i] = a[i] * b[i];
};

/** `out = a / b`. */
export const div: Backend['div'] = (n, a, b, out) => {
  for (let i = 0; i < n; i++) out[i] = a[i] / b[i];
};

/** `out = α·x`. */
export const scale: Backend['scale'] = (n, alpha, x, out) => {
  for (let i = 0; i < n; i++) out[i] = alpha * x[i];
};

/** `out = x + α`. */
export const addScalar: Backend['addScalar'] = (n, alpha, x, out) => {
  for (let i = 0; i < n; i++) out[i] = x[i] + alpha;
};

/** `out = min(max(x, low), high)`; `Math.max` and `Math.min` return NaN for NaN, so NaN passes through. */
export const clamp: Backend['clamp'] = (n, low, high, x, out) => {
  for (let i = 0; i < n; i++) out[i] = Math.min(Math.max(x[i], low), high);
};

/** `y += α·x`. */
export const axpy: Backend['axpy'] = (n, alpha, x, y) => {
  for (let i = 0; i < n; i++) y[i] += alpha * x[i];
};

/** `out = value`. */
export const fill: Backend['fill'] = (n, value, out) => {
  out.fill(value, 0, n);
};

/** `out[i, j] = x[i, j] + v[j]`. */
export const addRowVector: Backend['addRowVector'] = (rows, cols, x, v, out) => {
  for (let i = 0, o = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++, o++) out[o] = x[o] + v[j];
  }
};
