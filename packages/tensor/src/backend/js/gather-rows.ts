import type { Backend } from '../backend.js';

/** `out[i, :] = x[indices[i], :]`: assembles a shuffled mini-batch row by row. */
export const gatherRows: Backend['gatherRows'] = (rows, cols, indices, x, out) => {
  for (let i = 0, dst = 0; i < rows; i++) {
    // A plain loop rather than `out.set(x.subarray(…))`: no view object per row, so batching makes no garbage.
    for (let src = indices[i] * cols, end = src + cols; src < end; src++, dst++) out[dst] = x[src];
  }
};
