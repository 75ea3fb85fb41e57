import type { Backend } from '../backend.js';

/** Writes an `n × classes` one-hot matrix: zeros, then a 1 in column `labels[i]` of each row `i`. */
export const oneHot: Backend['oneHot'] = (n, classes, labels, out) => {
  out.fill(0, 0, n * classes);
  for (let i = 0; i < n; i++) out[i * classes + labels[i]] = 1;
};
