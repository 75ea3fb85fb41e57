import type { Backend } from '../backend.js';

/** Tile edge for the blocked transpose: a 32×32 float32 tile is 4 KiB, so source and target tiles stay in L1. */
const BLOCK = 32;

/** `out = xᵀ` for a `rows × cols` matrix, in square tiles so both the reads and the writes stay cache-local. */
export const transpose: Backend['transpose'] = (rows, cols, x, out) => {
  for (let i0 = 0; i0 < rows; i0 += BLOCK) {
    const iEnd = Math.min(i0 + BLOCK, rows);
    for (let j0 = 0; j0 < cols; j0 += BLOCK) {
      const jEnd = Math.min(j0 + BLOCK, cols);
      for (let i = i0; i < iEnd; i++) {
        for (let j = j0; j < jEnd; j++) out[j * rows + i] = x[i * cols + j];
      }
    }
  }
};
