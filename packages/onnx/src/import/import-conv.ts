import { Conv2D } from '@mnist/nn';
import type { Shape } from '@mnist/tensor';
import { type ImportStep, single } from './import-step.js';
import type { NodeReader } from './node-reader.js';
import { readWindow } from './window-attributes.js';

/**
 * `Conv` over images `[batch, C, H, W]` with a constant weight `[M, C, k, k]` and optional bias `[M]`, one group, as a
 * `Conv2D` layer: the weight layouts are the same, so the values copy as they are.
 */
export function importConv(node: NodeReader, inputShape: Shape): ImportStep {
  node.expectInputs(2, 3);
  const attributes = node.attributes({
    auto_pad: 'string',
    dilations: 'ints',
    group: 'int',
    kernel_shape: 'ints',
    pads: 'ints',
    strides: 'ints',
  });
  if ((attributes.group ?? 1) !== 1) throw node.unsupported(`group = ${attributes.group}: only group = 1 imports`);
  if (inputShape.length !== 4)
    throw node.unsupported(`only 2-D images [batch, C, H, W] import, found an input of rank ${inputShape.length}`);
  const w = node.constantInput(1, 'the weight W');
  if (w.shape.length !== 4 || w.shape[2] !== w.shape[3]) {
    throw node.unsupported(`only a weight [M, C, k, k] with a square window imports, found [${w.shape}]`);
  }
  const [outChannels, inChannels, k] = w.shape;
  const window = readWindow(node, attributes, k);
  const b = node.optionalInput(2) === undefined ? undefined : node.constantInput(2, 'the bias B');
  if (b && (b.shape.length !== 1 || b.shape[0] !== outChannels)) {
    throw node.invalid(`the bias B must have shape [${outChannels}], found [${b.shape}]`);
  }
  const layer = new Conv2D(inChannels, outChannels, k, {
    stride: window.stride,
    padding: window.padding,
    useBias: b !== undefined,
  });
  layer.weight.value.data.set(w.values);
  if (b && layer.bias) layer.bias.value.data.set(b.values);
  return single(node, layer);
}
