import type { Backend } from '../backend.js';

/**
 * Inverted dropout's mask from uniform samples in `[0, 1)`: `out = u < rate ? 0 : 1/(1 − rate)`. Each entry is dropped
 * with probability `rate`, and the kept ones are scaled so that the expected output equals the input.
 */
export const dropoutMask: Backend['dropoutMask'] = (n, rate, uniforms, out) => {
  const keptScale = 1 / (1 - rate);
  for (let i = 0; i < n; i++) out[i] = uniforms[i] < rate ? 0 : keptScale;
};
