import { Dense } from '@mnist/nn';
import type { Shape } from '@mnist/tensor';
import { type ImportStep, single } from './import-step.js';
import type { NodeReader } from './node-reader.js';
import type { ImportedTensor } from './read-tensor.js';

/**
 * `Gemm`: `Y = α·A'·B' + β·C` with `A' = transA ? Aᵀ : A` (likewise `B'`), as a `Dense` layer. `A` is the chain's
 * value, `[batch, K]`; `B` and `C` are constants. α and β are folded into the weight and bias (bit for bit when they
 * are 1, as every exporter writes them), and `transB = 1` (PyTorch's `[out, in]` layout) is transposed into the layer's
 * `[in, out]`. `transA = 1` would put the batch on axis 1 and is refused.
 */
export function importGemm(node: NodeReader): ImportStep {
  node.expectInputs(2, 3);
  const {
    alpha = 1,
    beta = 1,
    transA = 0,
    transB = 0,
  } = node.attributes({
    alpha: 'float',
    beta: 'float',
    transA: 'int',
    transB: 'int',
  });
  if (transA !== 0) {
    throw node.unsupported(
      'transA = 1 multiplies the transposed input, whose batch is on axis 1; only transA = 0 (a batch of rows) imports as a Dense layer',
    );
  }
  const b = node.constantInput(1, 'the weight B');
  if (b.shape.length !== 2) throw node.invalid(`the weight B must be a matrix, found shape [${b.shape}]`);
  const [inputSize, outputSize] = transB !== 0 ? [b.shape[1], b.shape[0]] : [b.shape[0], b.shape[1]];
  const c = node.optionalInput(2) === undefined ? undefined : node.constantInput(2, 'the bias C');
  const layer = new Dense(inputSize, outputSize, { useBias: c !== undefined && beta !== 0 });
  copyWeight(b.values, transB !== 0, inputSize, outputSize, alpha, layer.weight.value.data);
  if (c && layer.bias) layer.bias.value.data.set(biasValues(node, c, outputSize, beta));
  return single(node, layer);
}

/**
 * `MatMul` of the chain's value `[batch, K]` by a constant `[K, N]`, and the `Add` of a constant bias that follows it
 * when there is one (how exporters write a linear layer without Gemm): one `Dense` layer.
 */
export function importMatMul(node: NodeReader, _inputShape: Shape): ImportStep {
  node.expectInputs(2, 2);
  node.attributes({});
  const w = node.constantInput(1, 'the weight');
  if (w.shape.length !== 2)
    throw node.unsupported(`only a matrix weight imports (a Dense layer), found shape [${w.shape}]`);
  const [inputSize, outputSize] = w.shape;
  const output = node.output();
  const add = biasAdd(node, output);
  const layer = new Dense(inputSize, outputSize, { useBias: add !== undefined });
  layer.weight.value.data.set(w.values);
  if (!add || !layer.bias) return single(node, layer);
  layer.bias.value.data.set(biasValues(add.reader, add.bias, outputSize, 1));
  return { layers: [layer], output: add.reader.output(), nodes: [node.index, add.reader.index] };
}

/** The `Add` of a constant that is the only reader of a `MatMul`'s output, if there is one. */
function biasAdd(node: NodeReader, value: string): { reader: NodeReader; bias: ImportedTensor } | undefined {
  const consumers = node.graph.consumers(value);
  if (consumers.length !== 1) return undefined;
  const next = node.graph.nodes[consumers[0]];
  if (next.opType !== 'Add' || next.input.length !== 2 || !(next.domain === '' || next.domain === 'ai.onnx'))
    return undefined;
  const reader = node.sibling(consumers[0]);
  const other = next.input[0] === value ? 1 : 0;
  if (next.input[1 - other] !== value || !reader.isConstantInput(other)) return undefined;
  reader.attributes({});
  return { reader, bias: reader.constantInput(other, 'the bias') };
}

/** `alpha·B` (transposed from `[out, in]` when `transposed`) into the layer's `[in, out]` weight. */
function copyWeight(
  b: Float32Array,
  transposed: boolean,
  inputSize: number,
  outputSize: number,
  alpha: number,
  out: Float32Array,
): void {
  if (!transposed) {
    out.set(b);
  } else {
    for (let o = 0; o < outputSize; o++) {
      for (let i = 0; i < inputSize; i++) out[i * outputSize + o] = b[o * inputSize + i]; // [out, in] → [in, out]
    }
  }
  if (alpha !== 1) for (let i = 0; i < out.length; i++) out[i] *= alpha;
}

/** `beta·C` as a bias of `outputSize`: C may be `[N]`, `[1, N]`, or a scalar broadcast to every unit. */
function biasValues(node: NodeReader, c: ImportedTensor, outputSize: number, beta: number): Float32Array {
  const size = c.values.length;
  const rowLike = c.shape.length <= 2 && c.shape.slice(0, -1).every((d) => d === 1);
  if (!(rowLike && (size === outputSize || size === 1))) {
    throw node.unsupported(
      `the bias must have shape [${outputSize}], [1, ${outputSize}] or one value to broadcast, found [${c.shape}]`,
    );
  }
  const bias = new Float32Array(outputSize);
  for (let o = 0; o < outputSize; o++) bias[o] = beta * c.values[size === 1 ? 0 : o];
  return bias;
}
