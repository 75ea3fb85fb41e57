import type { Backend } from '../backend.js';

/**
 * Adds one value per channel to `[batch, channels, spatial]`: `out[n, c, s] = x[n, c, s] + bias[c]` (a convolution's
 * bias). `out` may be `x`.
 */
export const addChannelBias: Backend['addChannelBias'] = (batch, channels, spatial, x, bias, out) => {
  let i = 0;
  for (let n = 0; n < batch; n++) {
    for (let c = 0; c < channels; c++) {
      const b = bias[c];
      for (const end = i + spatial; i < end; i++) out[i] = x[i] + b;
    }
  }
};
