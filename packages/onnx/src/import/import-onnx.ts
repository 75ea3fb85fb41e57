import { type Layer, Sequential } from '@mnist/nn';
import type { Shape } from '@mnist/tensor';
import { OnnxError } from '../onnx-error.js';
import { OnnxFormatError } from '../onnx-format-error.js';
import { type GraphProto, TensorProto_DataType, type ValueInfoProto } from '../proto/onnx_pb.js';
import { UnsupportedOnnxError } from '../unsupported-onnx-error.js';
import { decodeModel } from './decode-model.js';
import { importGeluFormula, isFormulaOperator } from './gelu-pattern.js';
import { GraphIndex, isDefaultDomain } from './graph-index.js';
import type { ImportStep } from './import-step.js';
import { NodeReader } from './node-reader.js';
import { OP_IMPORTERS } from './op-importers.js';
import type { ValueBudget } from './read-tensor.js';

/** Options of {@link importOnnx}. */
export interface ImportOnnxOptions {
  /**
   * The most weight values (float32) the model may hold in all, checked before each is allocated. Default 2²⁶
   * (256 MiB), the limit `loadModel` applies.
   */
  maxParameters?: number;
}

/**
 * Builds a `Sequential` from the bytes of an ONNX model: it predicts, trains (fine-tunes with any optimizer), saves
 * and loads like a model made here. The graph must be a chain from its one input to its one output of the operators
 * listed in docs/onnx.md (Gemm, MatMul + Add, Conv, BatchNormalization, MaxPool, AveragePool, Flatten, a flattening
 * Reshape, Relu, LeakyRelu, Sigmoid, Tanh, Gelu or its Erf formula, Softmax, Dropout, Identity), with opsets 11 to
 * {@link MAX_OPSET} of the default domain and float32 weights stored in the file.
 *
 * The bytes are untrusted: every tensor's declared size must be paid for by the bytes it holds before anything is
 * allocated, and the weights in all stay within `maxParameters`.
 *
 * @param bytes - the file's contents
 * @throws {@link OnnxFormatError} for bytes that are not a valid ONNX model
 * @throws {@link UnsupportedOnnxError} naming the node, its operator and the opset, for what has no layer here
 * @example Import, fine-tune, predict
 * ```ts
 * import { readFile } from 'node:fs/promises';
 * import { Momentum } from '@mnist/nn';
 * import { importOnnx } from '@mnist/onnx';
 *
 * const model = importOnnx(await readFile('mlp.onnx'));
 * model.compile({ loss: 'categoricalCrossEntropy', optimizer: new Momentum({ learningRate: 0.01 }) });
 * ```
 */
export function importOnnx(bytes: Uint8Array | ArrayBuffer, options: ImportOnnxOptions = {}): Sequential {
  const maxParameters = options.maxParameters ?? 2 ** 26;
  if (!(Number.isSafeInteger(maxParameters) && maxParameters >= 0)) {
    throw new RangeError(`importOnnx: maxParameters must be a non-negative integer, found ${maxParameters}`);
  }
  const { model, opset } = decodeModel(bytes);
  const graph = model.graph as GraphProto;
  const index = new GraphIndex(graph, opset);
  const input = graphInput(graph, index);
  const output = graphOutput(graph);
  const budget: ValueBudget = { used: 0, max: maxParameters };

  const layers: Layer[] = [];
  const visited = new Set<number>();
  let value = input.name;
  let shape = input.shape;
  while (value !== output) {
    const step = nextStep(index, value, shape, budget, visited);
    for (const i of step.nodes) visited.add(i);
    for (const layer of step.layers) {
      shape = outputShapeAt(index, step.nodes[0], layer, shape);
      layers.push(layer);
    }
    value = step.output;
  }
  index.nodes.forEach((node, i) => {
    if (!visited.has(i) && !(node.opType === 'Constant' && isDefaultDomain(node.domain))) {
      throw new UnsupportedOnnxError(
        `the node is not on the chain from input '${input.name}' to output '${output}'; only a chain of layers imports`,
        index.location(i),
      );
    }
  });
  return new Sequential(layers);
}

/** The step from `value` to the next: one operator, a MatMul with its bias, or a GELU formula. */
function nextStep(
  index: GraphIndex,
  value: string,
  shape: Shape,
  budget: ValueBudget,
  visited: Set<number>,
): ImportStep {
  const consumers = index.consumers(value);
  if (consumers.length === 0) {
    throw new OnnxFormatError(`value '${value}' is read by no node and is not the graph's output`);
  }
  const first = consumers[0];
  const reader = new NodeReader(index, first, budget);
  try {
    for (const i of consumers) {
      if (visited.has(i))
        throw new OnnxFormatError(
          `value '${value}' feeds a node already imported: the graph has a cycle`,
          index.location(i),
        );
      if (!isDefaultDomain(index.nodes[i].domain)) {
        throw new UnsupportedOnnxError(
          `the domain '${index.nodes[i].domain}' is not ONNX's default one; only ai.onnx operators import`,
          index.location(i),
        );
      }
    }
    const opType = index.nodes[first].opType;
    // A value read by several elementwise nodes is where a GELU formula starts (it uses x twice).
    if (isFormulaOperator(opType) && (consumers.length > 1 || !OP_IMPORTERS.has(opType))) {
      return importGeluFormula(reader, value);
    }
    if (consumers.length > 1) {
      const names = consumers.map((i) => `'${index.location(i).node}' (${index.nodes[i].opType})`).join(', ');
      throw new UnsupportedOnnxError(
        `value '${value}' feeds ${consumers.length} nodes, ${names}: the graph branches; only a chain of layers imports`,
      );
    }
    const entry = OP_IMPORTERS.get(opType);
    if (!entry || opset(index) < entry.since) {
      const known = [...OP_IMPORTERS.keys()].join(', ');
      throw reader.unsupported(
        entry
          ? `${opType} is not an operator of opset ${opset(index)} (it exists from opset ${entry.since})`
          : `the operator ${opType} does not import; the operators that do are ${known}, and Erf, Tanh, Add, Mul, Div, Pow, Sub, Sqrt as a GELU formula`,
      );
    }
    if (index.nodes[first].input[0] !== value || index.nodes[first].input.slice(1).includes(value)) {
      throw reader.unsupported(
        `'${value}' must be the node's first input and only there, as the data a layer transforms`,
      );
    }
    return entry.importer(reader, shape);
  } catch (error) {
    if (error instanceof OnnxError) throw error;
    // A layer constructor's own check (a RangeError for a value it cannot hold): the node does not import.
    throw new UnsupportedOnnxError(`cannot be represented: ${(error as Error)?.message ?? error}`, reader.location, {
      cause: error,
    });
  }
}

function opset(index: GraphIndex): number {
  return index.opset;
}

/** The shape after `layer`, which must accept `shape`: otherwise the graph contradicts itself at node `at`. */
function outputShapeAt(index: GraphIndex, at: number, layer: Layer, shape: Shape): Shape {
  try {
    return layer.outputShape(shape);
  } catch (error) {
    throw new OnnxFormatError(
      `its input of shape [${shape.join(', ').replace('-1', 'batch')}] does not fit: ${(error as Error).message}`,
      index.location(at),
      { cause: error },
    );
  }
}

/** The graph's one real input (in IR 3, initializers are listed as inputs too), float32 with known example sizes. */
function graphInput(graph: GraphProto, index: GraphIndex): { name: string; shape: Shape } {
  const inputs = graph.input.filter((i) => !index.isInitializer(i.name));
  if (inputs.length !== 1) {
    throw new UnsupportedOnnxError(
      `the graph has ${inputs.length} inputs (${inputs.map((i) => `'${i.name}'`).join(', ') || 'none'}); a Sequential takes exactly one`,
    );
  }
  const input = inputs[0];
  return { name: input.name, shape: inputShape(input) };
}

function inputShape(input: ValueInfoProto): Shape {
  const type = input.type?.value;
  if (type?.case !== 'tensorType') throw new UnsupportedOnnxError(`input '${input.name}' is not a tensor`);
  if (type.value.elemType !== TensorProto_DataType.FLOAT) {
    throw new UnsupportedOnnxError(
      `input '${input.name}' holds ${TensorProto_DataType[type.value.elemType] ?? type.value.elemType}; only float32 (FLOAT) inputs import`,
    );
  }
  const dims = type.value.shape?.dim;
  if (!dims || dims.length < 2 || dims.length > 8) {
    throw new UnsupportedOnnxError(
      `input '${input.name}' must have a known rank from 2 to 8 (batch first), found ${dims ? dims.length : 'none'}`,
    );
  }
  // The first axis is the batch whatever it is declared as; every other size must be a known positive number.
  return dims.map((d, axis) => {
    if (axis === 0) return -1;
    const size = d.value.case === 'dimValue' ? d.value.value : undefined;
    if (size === undefined || size < 1n || size > 2n ** 31n) {
      const found = d.value.case === 'dimParam' ? `'${d.value.value}'` : String(size ?? 'unknown');
      throw new UnsupportedOnnxError(
        `input '${input.name}' has size ${found} on axis ${axis}; only the batch axis may be dynamic, the others must be fixed positive sizes`,
      );
    }
    return Number(size);
  });
}

function graphOutput(graph: GraphProto): string {
  if (graph.output.length !== 1) {
    throw new UnsupportedOnnxError(`the graph has ${graph.output.length} outputs; a Sequential gives exactly one`);
  }
  const name = graph.output[0].name;
  if (name === '') throw new OnnxFormatError("the graph's output has no name");
  return name;
}
