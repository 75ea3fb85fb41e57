import { ActivationLayer } from '@mnist/nn';
import type { Tensor } from '@mnist/tensor';
import { normalCdf } from './erf.js';
import type { OnnxExportable } from './export/onnx-exportable.js';
import type { OnnxGraph } from './export/onnx-graph.js';

const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/**
 * The exact Gaussian error linear unit, `y = x·Φ(x) = x/2·(1 + erf(x/√2))` (Hendrycks & Gimpel, 2016), elementwise:
 * PyTorch's default `nn.GELU()` and ONNX's `Gelu` with `approximate = "none"`. `@mnist/nn`'s `GELU` is the tanh
 * approximation, up to 5·10⁻⁴ away, so `importOnnx` makes this layer of an exact `Gelu` (or the `Erf` formula older
 * exporters write) to keep the imported model's outputs those of the original.
 *
 * Gradient: `∂L/∂x = dy ⊙ (Φ(x) + x·φ(x))`, with `φ` the standard normal density. `Φ` is evaluated in double precision
 * to a relative error below 1.2·10⁻⁷ (see `erfc`).
 *
 * Its type, `onnx/ErfGELU`, is not a built-in one: load a saved model that holds it with
 * `loadModel(data, { layers: ONNX_LAYERS })`.
 *
 * @example
 * ```ts
 * import { loadModel, Sequential } from '@mnist/nn';
 * import { ErfGELU, ONNX_LAYERS } from '@mnist/onnx';
 *
 * const model = new Sequential([new ErfGELU()]);
 * const restored = loadModel(model.save(), { layers: ONNX_LAYERS });
 * ```
 */
export class ErfGELU extends ActivationLayer implements OnnxExportable {
  /** The model-file type of this layer. */
  static readonly type = 'onnx/ErfGELU';
  /** @inheritdoc */
  readonly type: string = ErfGELU.type;

  /** Rebuilds the layer (it has no configuration). */
  static fromConfig(): ErfGELU {
    return new ErfGELU();
  }

  /** `y = x·Φ(x)`. */
  protected forwardInto(x: Tensor, y: Tensor): Tensor {
    const xs = x.data;
    const ys = y.data;
    for (let i = 0; i < xs.length; i++) ys[i] = xs[i] * normalCdf(xs[i]);
    return y;
  }

  /** `dx = dy ⊙ (Φ(x) + x·φ(x))`. */
  protected backwardInto(x: Tensor, _y: Tensor, dy: Tensor, dx: Tensor): Tensor {
    const xs = x.data;
    for (let i = 0; i < xs.length; i++) {
      const v = xs[i];
      dx.data[i] = dy.data[i] * (normalCdf(v) + v * INV_SQRT_2PI * Math.exp(-0.5 * v * v));
    }
    return dx;
  }

  /** One `Gelu` node from opset 20, else `x·(1 + Erf(x/√2))·0.5`, the form PyTorch writes. */
  toOnnx(graph: OnnxGraph, input: string): string {
    if (graph.opset >= 20) return graph.node('Gelu', [input], { approximate: { string: 'none' } });
    const erf = graph.node('Erf', [graph.node('Div', [input, graph.constant([Math.SQRT2], [])])]);
    const scaled = graph.node('Mul', [input, graph.node('Add', [erf, graph.constant([1], [])])]);
    return graph.node('Mul', [scaled, graph.constant([0.5], [])]);
  }
}

/**
 * The layer classes of this package, by type, for `loadModel(data, { layers: ONNX_LAYERS })`: a model imported
 * from ONNX may hold them, and saves and loads like any other once they are passed.
 */
export const ONNX_LAYERS = Object.freeze({ [ErfGELU.type]: ErfGELU });
