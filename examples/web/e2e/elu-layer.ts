import { ActivationLayer } from '@mnist/nn';
import type { OnnxExportable, OnnxGraph } from '@mnist/onnx';
import type { Tensor } from '@mnist/tensor';

/**
 * The exponential linear unit, `y = x` for `x > 0`, `eˣ − 1` otherwise, exported as ONNX's `Elu`: an operator that
 * `importOnnx` does not read, so an ONNX file with it is valid but unsupported, the page's other kind of refusal.
 */
export class Elu extends ActivationLayer implements OnnxExportable {
  readonly type = 'e2e/Elu';

  protected forwardInto(x: Tensor, y: Tensor): Tensor {
    for (let i = 0; i < x.size; i++) y.data[i] = x.data[i] > 0 ? x.data[i] : Math.expm1(x.data[i]);
    return y;
  }

  /** `∂y/∂x` is 1 for `x > 0`, `eˣ = y + 1` otherwise. */
  protected backwardInto(x: Tensor, y: Tensor, dy: Tensor, dx: Tensor): Tensor {
    for (let i = 0; i < x.size; i++) dx.data[i] = dy.data[i] * (x.data[i] > 0 ? 1 : y.data[i] + 1);
    return dx;
  }

  toOnnx(graph: OnnxGraph, input: string): string {
    return graph.node('Elu', [input]);
  }
}
