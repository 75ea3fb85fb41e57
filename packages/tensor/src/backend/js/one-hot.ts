/** Writes an `n × classes` one-hot matrix: zeros, then a 1 in column `labels[i]` of each row `i`. */
export function oneHot(n: number, classes: number, labels: ArrayLike<number>, out: Float32Array): void {
  out.fill(0, 0, n * classes);
  for (let i = 0; i < n; i++) out[i * classes + labels[i]] = 1;
}
