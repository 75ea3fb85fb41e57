import { AvgPool2D, MaxPool2D } from '@mnist/nn';
import type { Shape } from '@mnist/tensor';
import { type ImportStep, single } from './import-step.js';
import type { NodeReader } from './node-reader.js';
import { readWindow, type SquareWindow } from './window-attributes.js';

/** `MaxPool` over images with a square window, as a `MaxPool2D` layer (padding never wins a maximum in either). */
export function importMaxPool(node: NodeReader, inputShape: Shape): ImportStep {
  node.expectInputs(1, 1);
  const attributes = node.attributes({
    auto_pad: 'string',
    ceil_mode: 'int',
    dilations: 'ints',
    kernel_shape: 'ints',
    pads: 'ints',
    storage_order: 'int',
    strides: 'ints',
  });
  // The storage order only changes the optional Indices output, which the chain check keeps unread.
  const window = poolWindow(node, attributes, inputShape);
  return single(node, new MaxPool2D(window.size, { stride: window.stride, padding: window.padding }));
}

/**
 * `AveragePool` over images with a square window, as an `AvgPool2D` layer, which divides by the whole window: with
 * padding, only `count_include_pad = 1` imports.
 */
export function importAveragePool(node: NodeReader, inputShape: Shape): ImportStep {
  node.expectInputs(1, 1);
  const attributes = node.attributes({
    auto_pad: 'string',
    ceil_mode: 'int',
    count_include_pad: 'int',
    dilations: 'ints',
    kernel_shape: 'ints',
    pads: 'ints',
    strides: 'ints',
  });
  const window = poolWindow(node, attributes, inputShape);
  if (window.padding > 0 && (attributes.count_include_pad ?? 0) === 0) {
    throw node.unsupported(
      'count_include_pad = 0 with padding averages over fewer values at the borders; AvgPool2D divides by the whole window (count_include_pad = 1)',
    );
  }
  return single(node, new AvgPool2D(window.size, { stride: window.stride, padding: window.padding }));
}

function poolWindow(
  node: NodeReader,
  attributes: { ceil_mode?: number; kernel_shape?: number[] } & Parameters<typeof readWindow>[1],
  inputShape: Shape,
): SquareWindow {
  if (inputShape.length !== 4)
    throw node.unsupported(`only 2-D images [batch, C, H, W] import, found an input of rank ${inputShape.length}`);
  if ((attributes.ceil_mode ?? 0) !== 0)
    throw node.unsupported('ceil_mode = 1 does not import; the layers round output sizes down');
  const window = readWindow(node, attributes);
  if (2 * window.padding > window.size) {
    throw node.unsupported(
      `padding ${window.padding} is more than half the ${window.size}×${window.size} window, which the pooling layers allow`,
    );
  }
  return window;
}
