import type { Backend } from '../backend.js';

/**
 * Row-wise softmax. Subtracting the row maximum before `exp` keeps every exponent ≤ 0, so nothing overflows and the
 * largest term is exactly 1 (the standard trick; see Goodfellow et al., "Deep Learning", §4.1). Sums run in float64.
 */
export const softmaxRows: Backend['softmaxRows'] = (rows, cols, x, out) => {
  for (let r = 0; r < rows; r++) {
    const start = r * cols;
    const end = start + cols;
    let max = Number.NEGATIVE_INFINITY;
    for (let i = start; i < end; i++) if (x[i] > max) max = x[i];
    let sum = 0;
    for (let i = start; i < end; i++) {
      const e = Math.exp(x[i] - max);
      out[i] = e;
      sum += e;
    }
    const inv = 1 / sum;
    for (let i = start; i < end; i++) out[i] *= inv;
  }
};

/**
 * Softmax's backward pass: with `y = softmax(x)`, `∂L/∂x = y ⊙ (dy − ⟨dy, y⟩)` row by row, the Jacobian-vector
 * product of `diag(y) − y·yᵀ` without forming the matrix.
 */
export const softmaxRowsBackward: Backend['softmaxRowsBackward'] = (rows, cols, y, dy, dx) => {
  for (let r = 0; r < rows; r++) {
    const start = r * cols;
    const end = start + cols;
    let inner = 0;
    for (let i = start; i < end; i++) inner += dy[i] * y[i];
    for (let i = start; i < end; i++) dx[i] = y[i] * (dy[i] - inner);
  }
};
