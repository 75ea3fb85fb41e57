import type { Backend } from '../backend.js';

// Reductions over the middle axis of [outer, size, inner]. When inner > 1 the loops walk the array in memory order
// and accumulate whole rows into `out`, which keeps every access sequential (a column sum of a [batch, features]
// gradient never strides across rows).

/** `out[o, i] = Σₛ x[o, s, i]`. */
export const sumAxis: Backend['sumAxis'] = (outer, size, inner, x, out) => {
  if (inner === 1) {
    for (let o = 0; o < outer; o++) {
      // Accumulate in float64: a float32 running sum over 60 000 values loses about three digits.
      let sum = 0;
      for (let s = 0, src = o * size; s < size; s++, src++) sum += x[src];
      out[o] = sum;
    }
    return;
  }
  // Columns are summed a strip of STRIP at a time into a float64 scratch row, then stored: float64 accuracy, and
  // the reads still walk each row of the strip contiguously.
  for (let o = 0; o < outer; o++) {
    for (let i0 = 0; i0 < inner; i0 += STRIP) {
      const width = Math.min(STRIP, inner - i0);
      strip.fill(0, 0, width);
      for (let s = 0; s < size; s++) {
        const src = (o * size + s) * inner + i0;
        for (let i = 0; i < width; i++) strip[i] += x[src + i];
      }
      const dst = o * inner + i0;
      for (let i = 0; i < width; i++) out[dst + i] = strip[i];
    }
  }
};

/** Columns summed per pass; 256 float64 accumulators are 2 KiB, well inside L1. */
const STRIP = 256;
const strip = new Float64Array(STRIP);

/** `out[o, i] = maxₛ x[o, s, i]`; NaN wins over every number. */
export const maxAxis: Backend['maxAxis'] = (outer, size, inner, x, out) => {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      let best = x[o * size * inner + i];
      for (let s = 1; s < size; s++) {
        const v = x[(o * size + s) * inner + i];
        if (v > best || Number.isNaN(v)) best = v;
        if (Number.isNaN(best)) break;
      }
      out[o * inner + i] = best;
    }
  }
};

/** The index of the first maximum over the middle axis; a NaN counts as the maximum. */
export const argmaxAxis: Backend['argmaxAxis'] = (outer, size, inner, x, out) => {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * size * inner + i;
      let best = x[base];
      let at = 0;
      for (let s = 1; s < size && !Number.isNaN(best); s++) {
        const v = x[base + s * inner];
        if (v > best || Number.isNaN(v)) {
          best = v;
          at = s;
        }
      }
      out[o * inner + i] = at;
    }
  }
};
