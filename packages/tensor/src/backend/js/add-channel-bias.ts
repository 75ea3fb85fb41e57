/**
 * Adds one value per channel to `[batch, channels, spatial]`: `out[n, c, s] = x[n, c, s] + bias[c]` (a convolution's
 * bias). `out` may be `x`.
 */
export function addChannelBias(
  batch: number,
  channels: number,
  spatial: number,
  x: Float32Array,
  bias: Float32Array,
  out: Float32Array,
): void {
  let i = 0;
  for (let n = 0; n < batch; n++) {
    for (let c = 0; c < channels; c++) {
      const b = bias[c];
      for (const end = i + spatial; i < end; i++) out[i] = x[i] + b;
    }
  }
}
