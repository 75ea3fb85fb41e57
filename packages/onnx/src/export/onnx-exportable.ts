import type { Layer } from '@mnist/nn';
import type { Shape } from '@mnist/tensor';
import type { OnnxGraph } from './onnx-graph.js';

/**
 * A layer that says how it exports: `exportOnnx` calls `toOnnx` with the graph being written, the name of the
 * layer's input value and its shape (batch first, as `-1`), and the layer returns the name of its output value. The
 * built-in layers need no such method; a custom layer without one is an {@link OnnxExportError} that names it.
 *
 * @example A custom layer that doubles its input and exports as one Mul node
 * ```ts
 * import type { OnnxExportable, OnnxGraph } from '@mnist/onnx';
 * import { ActivationLayer } from '@mnist/nn';
 * import { scale, type Tensor } from '@mnist/tensor';
 *
 * class Double extends ActivationLayer implements OnnxExportable {
 *   readonly type = 'acme/Double';
 *   static fromConfig(): Double {
 *     return new Double();
 *   }
 *   protected forwardInto(x: Tensor, y: Tensor): Tensor {
 *     return scale(x, 2, y);
 *   }
 *   protected backwardInto(_x: Tensor, _y: Tensor, dy: Tensor, dx: Tensor): Tensor {
 *     return scale(dy, 2, dx);
 *   }
 *   toOnnx(graph: OnnxGraph, input: string): string {
 *     return graph.node('Mul', [input, graph.constant([2], [])]);
 *   }
 * }
 * ```
 */
export interface OnnxExportable extends Layer {
  /**
   * Adds this layer's nodes to `graph` and returns the name of its output value.
   * @param input - the name of the layer's input value
   * @param inputShape - the input's shape, batch first as `-1`
   */
  toOnnx(graph: OnnxGraph, input: string, inputShape: Shape): string;
}

/** Whether `layer` has a `toOnnx` method. @internal */
export function isOnnxExportable(layer: Layer): layer is OnnxExportable {
  return typeof (layer as Partial<OnnxExportable>).toOnnx === 'function';
}
