import { formatShape } from '../shape.js';
import { ShapeError } from '../shape-error.js';
import type { Tensor } from '../tensor.js';
import { checkTensor, outputFor } from './output.js';
import { placementOf, runner } from './placement.js';

/**
 * Adds one value per channel: `out[n, c, …] = x[n, c, …] + bias[c]` for `x` of shape `[batch, channels, …]` (NCHW
 * images, say) and `bias` of shape `[channels]`. The forward pass of a convolution's bias; its gradient is the sum of
 * `dy` over every axis but the channels.
 * @param out - where to write the result (may be `x`); allocated when omitted
 * @throws {@link ShapeError} when `x` has fewer than 2 dimensions, `bias` is not `[channels]`, or `out` has the wrong
 *   shape
 * @example
 * ```ts
 * const y = addChannelBias(Tensor.zeros([2, 3, 4, 4]), Tensor.fromArray([1, 2, 3])); // y[n, c, i, j] = c + 1
 * ```
 */
export function addChannelBias(x: Tensor, bias: Tensor, out?: Tensor): Tensor {
  checkTensor('addChannelBias', 'x', x);
  checkTensor('addChannelBias', 'bias', bias);
  if (x.rank < 2) {
    throw new ShapeError('addChannelBias', `x must be [batch, channels, …], found ${formatShape(x.shape)}`);
  }
  const [batch, channels] = x.shape as [number, number];
  if (bias.rank !== 1 || bias.size !== channels) {
    throw new ShapeError('addChannelBias', `bias must be [${channels}], found ${formatShape(bias.shape)}`);
  }
  const at = placementOf('addChannelBias', x, bias, out);
  const y = outputFor('addChannelBias', x.shape, out, at);
  const spatial = batch * channels === 0 ? 0 : x.size / (batch * channels);
  runner(at).addChannelBias(batch, channels, spatial, x.data, bias.data, y.data);
  return y;
}
