/**
 * Inverted dropout's mask from uniform samples in `[0, 1)`: `out = u < rate ? 0 : 1/(1 − rate)`. Each entry is dropped
 * with probability `rate`, and the kept ones are scaled so that the expected output equals the input.
 */
export function dropoutMask(n: number, rate: number, uniforms: Float32Array, out: Float32Array): void {
  const keptScale = 1 / (1 - rate);
  for (let i = 0; i < n; i++) out[i] = uniforms[i] < rate ? 0 : keptScale;
}
