import {
  AvgPool2D,
  BatchNorm,
  Conv2D,
  Dense,
  Dropout,
  Flatten,
  GELU,
  type Layer,
  LeakyReLU,
  MaxPool2D,
  ReLU,
  Sigmoid,
  Softmax,
  Tanh,
} from '@mnist/nn';
import type { Shape } from '@mnist/tensor';
import type { OnnxGraph } from './onnx-graph.js';

/** How a built-in layer class is written: its nodes added to the graph, the name of its output value returned. */
export interface LayerExporter<L extends Layer = Layer> {
  /**
   * The class the rule is for. A layer of the same `type` that is not an instance of it (a custom class reusing the
   * name, without the fields the rule reads) must say how it exports itself.
   */
  readonly layerClass: abstract new (
    ...args: never[]
  ) => L;
  /** Adds the layer's nodes and returns its output value's name. */
  write(layer: L, graph: OnnxGraph, input: string, inputShape: Shape): string;
}

// √(2/π) and the cubic coefficient of GELU's tanh form (Hendrycks & Gimpel, 2016), as the GELU layer computes it.
const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
const GELU_CUBIC = 0.044715;

/** One entry of {@link LAYER_EXPORTERS}, keyed by the class's own `type`. */
function rule<L extends Layer>(
  layerClass: { readonly type: string } & (abstract new (...args: never[]) => L),
  write: LayerExporter<L>['write'],
): [string, LayerExporter] {
  return [layerClass.type, { layerClass, write } as LayerExporter];
}

/**
 * How each built-in layer is written, by its `type`. `Dropout` writes nothing: at inference it is the identity, which
 * is what a runtime executes. A nested `Sequential` is expanded by `exportOnnx` itself. @internal
 */
export const LAYER_EXPORTERS: ReadonlyMap<string, LayerExporter> = new Map([
  rule(Dense, (dense, graph, input) => {
    // [batch, in]·[in, out] + [out]: Gemm with transB = 0 takes the weight in the layer's own layout, bit for bit.
    const inputs = [input, graph.initializer('weight', dense.weight.value)];
    if (dense.bias) inputs.push(graph.initializer('bias', dense.bias.value));
    return graph.node('Gemm', inputs, {
      alpha: { float: 1 },
      beta: { float: 1 },
      transA: { int: 0 },
      transB: { int: 0 },
    });
  }),
  rule(Conv2D, (conv, graph, input) => {
    const inputs = [input, graph.initializer('weight', conv.weight.value)];
    if (conv.bias) inputs.push(graph.initializer('bias', conv.bias.value));
    const k = conv.kernelSize;
    return graph.node('Conv', inputs, {
      kernel_shape: { ints: [k, k] },
      strides: { ints: [conv.stride, conv.stride] },
      pads: { ints: [conv.padding, conv.padding, conv.padding, conv.padding] },
      dilations: { ints: [1, 1] },
      group: { int: 1 },
    });
  }),
  rule(MaxPool2D, (pool, graph, input) => graph.node('MaxPool', [input], poolAttributes(pool))),
  // The layer divides by the whole window, padding included (PyTorch's default); ONNX's default excludes padding.
  rule(AvgPool2D, (pool, graph, input) =>
    graph.node('AveragePool', [input], { ...poolAttributes(pool), count_include_pad: { int: 1 } }),
  ),
  rule(Flatten, (_layer, graph, input) => graph.node('Flatten', [input], { axis: { int: 1 } })),
  rule(BatchNorm, (norm, graph, input) => {
    // Inference form: the running statistics. ONNX's momentum weighs the old running value, the layer's the new one.
    const inputs = [
      input,
      graph.initializer('weight', norm.weight.value),
      graph.initializer('bias', norm.bias.value),
      graph.initializer('runningMean', norm.runningMean),
      graph.initializer('runningVar', norm.runningVar),
    ];
    return graph.node('BatchNormalization', inputs, {
      epsilon: { float: norm.epsilon },
      momentum: { float: 1 - norm.momentum },
    });
  }),
  rule(Dropout, (_layer, _graph, input) => input),
  rule(ReLU, (_layer, graph, input) => graph.node('Relu', [input])),
  rule(LeakyReLU, (layer, graph, input) => graph.node('LeakyRelu', [input], { alpha: { float: layer.slope } })),
  rule(Sigmoid, (_layer, graph, input) => graph.node('Sigmoid', [input])),
  rule(Tanh, (_layer, graph, input) => graph.node('Tanh', [input])),
  rule(GELU, (_layer, graph, input) => exportTanhGelu(graph, input)),
  rule(Softmax, (_layer, graph, input) => graph.node('Softmax', [input], { axis: { int: -1 } })),
]);

function poolAttributes(pool: MaxPool2D | AvgPool2D) {
  const { poolSize: k, stride: s, padding: p } = pool;
  return { kernel_shape: { ints: [k, k] }, strides: { ints: [s, s] }, pads: { ints: [p, p, p, p] } };
}

/**
 * `y = x/2·(1 + tanh(√(2/π)·(x + 0.044715·x³)))`: one `Gelu` node with `approximate = "tanh"` from opset 20, the
 * formula in elementary operators before (what PyTorch writes for `GELU(approximate='tanh')` too).
 */
function exportTanhGelu(graph: OnnxGraph, x: string): string {
  if (graph.opset >= 20) return graph.node('Gelu', [x], { approximate: { string: 'tanh' } });
  const cube = graph.node('Pow', [x, graph.constant([3], [])]);
  const inner = graph.node('Add', [x, graph.node('Mul', [cube, graph.constant([GELU_CUBIC], [])])]);
  const t = graph.node('Tanh', [graph.node('Mul', [inner, graph.constant([SQRT_2_OVER_PI], [])])]);
  const half = graph.node('Mul', [x, graph.constant([0.5], [])]);
  return graph.node('Mul', [half, graph.node('Add', [t, graph.constant([1], [])])]);
}
