import type { AvgPool2D, BatchNorm, Conv2D, Dense, Layer, LeakyReLU, MaxPool2D } from '@mnist/nn';
import type { Shape } from '@mnist/tensor';
import type { OnnxGraph } from './onnx-graph.js';

/** Writes one built-in layer: adds its nodes and returns its output value's name. */
type LayerExporter = (layer: Layer, graph: OnnxGraph, input: string, inputShape: Shape) => string;

// √(2/π) and the cubic coefficient of GELU's tanh form (Hendrycks & Gimpel, 2016), as the GELU layer computes it.
const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
const GELU_CUBIC = 0.044715;

/**
 * How each built-in layer type is written, by its `type`. `Dropout` writes nothing: at inference it is the identity,
 * which is what a runtime executes. A nested `Sequential` is expanded by `exportOnnx` itself.
 */
export const LAYER_EXPORTERS: ReadonlyMap<string, LayerExporter> = new Map<string, LayerExporter>([
  [
    'Dense',
    (layer, graph, input) => {
      // [batch, in]·[in, out] + [out]: Gemm with transB = 0 takes the weight in the layer's own layout, bit for bit.
      const dense = layer as Dense;
      const inputs = [input, graph.initializer('weight', dense.weight.value)];
      if (dense.bias) inputs.push(graph.initializer('bias', dense.bias.value));
      return graph.node('Gemm', inputs, {
        alpha: { float: 1 },
        beta: { float: 1 },
        transA: { int: 0 },
        transB: { int: 0 },
      });
    },
  ],
  [
    'Conv2D',
    (layer, graph, input) => {
      const conv = layer as Conv2D;
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
    },
  ],
  ['MaxPool2D', (layer, graph, input) => graph.node('MaxPool', [input], poolAttributes(layer as MaxPool2D))],
  [
    'AvgPool2D',
    // The layer divides by the whole window, padding included (PyTorch's default); ONNX's default excludes padding.
    (layer, graph, input) =>
      graph.node('AveragePool', [input], { ...poolAttributes(layer as AvgPool2D), count_include_pad: { int: 1 } }),
  ],
  ['Flatten', (_layer, graph, input) => graph.node('Flatten', [input], { axis: { int: 1 } })],
  [
    'BatchNorm',
    (layer, graph, input) => {
      // Inference form: the running statistics. ONNX's momentum weighs the old running value, the layer's the new one.
      const norm = layer as BatchNorm;
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
    },
  ],
  ['Dropout', (_layer, _graph, input) => input],
  ['ReLU', (_layer, graph, input) => graph.node('Relu', [input])],
  [
    'LeakyReLU',
    (layer, graph, input) => graph.node('LeakyRelu', [input], { alpha: { float: (layer as LeakyReLU).slope } }),
  ],
  ['Sigmoid', (_layer, graph, input) => graph.node('Sigmoid', [input])],
  ['Tanh', (_layer, graph, input) => graph.node('Tanh', [input])],
  ['GELU', (_layer, graph, input) => exportTanhGelu(graph, input)],
  ['Softmax', (_layer, graph, input) => graph.node('Softmax', [input], { axis: { int: -1 } })],
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
