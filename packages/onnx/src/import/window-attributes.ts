import type { NodeReader } from './node-reader.js';

/** A square window with the same stride and padding in both directions: what the layers hold. @internal */
export interface SquareWindow {
  readonly size: number;
  readonly stride: number;
  readonly padding: number;
}

/**
 * Reads the window of a `Conv`, `MaxPool` or `AveragePool` over 2-D images, refusing what the layers cannot hold:
 * a non-square window, different strides or paddings per side, dilation, or `auto_pad` other than `NOTSET`/`VALID`.
 * @param size - the window side when the weight fixes it (`Conv`), checked against `kernel_shape`
 * @internal
 */
export function readWindow(
  node: NodeReader,
  attributes: { kernel_shape?: number[]; strides?: number[]; pads?: number[]; dilations?: number[]; auto_pad?: string },
  size?: number,
): SquareWindow {
  const { kernel_shape, strides = [1, 1], pads = [0, 0, 0, 0], dilations = [1, 1], auto_pad = 'NOTSET' } = attributes;
  if (auto_pad !== 'NOTSET' && auto_pad !== 'VALID') {
    throw node.unsupported(`auto_pad = ${auto_pad} does not import; only explicit pads (NOTSET) or VALID do`);
  }
  const kernel = kernel_shape ?? (size === undefined ? undefined : [size, size]);
  if (kernel === undefined) throw node.invalid('kernel_shape is required');
  if (kernel.length !== 2 || strides.length !== 2 || pads.length !== 4 || dilations.length !== 2) {
    throw node.unsupported(
      `only 2-D windows import (kernel_shape of 2, strides of 2, pads of 4, dilations of 2 values), found kernel_shape [${kernel}], strides [${strides}], pads [${pads}], dilations [${dilations}]`,
    );
  }
  if (kernel[0] !== kernel[1] || kernel[0] < 1)
    throw node.unsupported(`only square windows import, found kernel_shape [${kernel}]`);
  if (size !== undefined && kernel[0] !== size) {
    throw node.invalid(`kernel_shape [${kernel}] disagrees with the weight's ${size}×${size} window`);
  }
  if (strides[0] !== strides[1] || strides[0] < 1)
    throw node.unsupported(`only equal strides import, found strides [${strides}]`);
  if (dilations.some((d) => d !== 1)) throw node.unsupported(`only dilations of 1 import, found [${dilations}]`);
  const padding = auto_pad === 'VALID' ? 0 : pads[0];
  if (pads.some((p) => p !== pads[0]) || padding < 0) {
    throw node.unsupported(`only the same padding on every side imports, found pads [${pads}]`);
  }
  return { size: kernel[0], stride: strides[0], padding };
}
