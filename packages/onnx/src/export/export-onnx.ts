import { create, toBinary } from '@bufbuild/protobuf';
import { type Layer, Sequential } from '@mnist/nn';
import type { Shape } from '@mnist/tensor';
import { version } from '../../package.json';
import { OnnxExportError } from '../onnx-export-error.js';
import { DEFAULT_EXPORT_OPSET, irVersionFor, MAX_OPSET, MIN_EXPORT_OPSET } from '../opset.js';
import {
  GraphProtoSchema,
  ModelProtoSchema,
  NodeProtoSchema,
  OperatorSetIdProtoSchema,
  TensorProto_DataType,
  type TensorShapeProto_Dimension,
  TensorShapeProto_DimensionSchema,
  TypeProto_TensorSchema,
  TypeProtoSchema,
  type ValueInfoProto,
  ValueInfoProtoSchema,
} from '../proto/onnx_pb.js';
import { LAYER_EXPORTERS } from './layer-exporters.js';
import { isOnnxExportable } from './onnx-exportable.js';
import { graphContents, OnnxGraph } from './onnx-graph.js';

/** The `producer_name` of exported models. */
export const PRODUCER_NAME = 'mnist-ts';

/** Options of {@link exportOnnx}. */
export interface ExportOnnxOptions {
  /**
   * The version of the default operator set to write, from {@link MIN_EXPORT_OPSET} to {@link MAX_OPSET}. Default
   * {@link DEFAULT_EXPORT_OPSET} (17).
   */
  opset?: number;
  /**
   * The shape of one example, without the batch: `[1, 28, 28]` for MNIST images. Default: `[inputSize]` of a first
   * layer that has one (such as `Dense`); a model that starts with a convolution needs it.
   */
  inputShape?: readonly number[];
  /** The name of the graph's input. Default `input`. */
  inputName?: string;
  /** The name of the graph's output. Default `output`. */
  outputName?: string;
}

/**
 * Writes a model as ONNX: the bytes of a `ModelProto` that ONNX Runtime, PyTorch's tools and other runtimes load.
 *
 * The graph has one input (`[batch, ...inputShape]`, float32, the batch axis dynamic and named `batch`) and one output,
 * and computes the model's inference form: `BatchNorm` with its running statistics, `Dropout` left out. Weights are
 * stored as float32 initializers named like the model's parameters (`0.weight`). Every built-in layer exports; a
 * custom layer exports when it has a `toOnnx` method ({@link OnnxExportable}). The operator each layer becomes is
 * listed in docs/onnx.md.
 *
 * @param model - a `Sequential`, or a single layer
 * @throws {@link OnnxExportError} naming the layer that has no ONNX form, or for an input shape the layers reject
 * @example
 * ```ts
 * import { Dense, ReLU, Sequential, Softmax } from '@mnist/nn';
 * import { exportOnnx } from '@mnist/onnx';
 *
 * const model = new Sequential([new Dense(784, 128), new ReLU(), new Dense(128, 10), new Softmax()], { seed: 1 });
 * const bytes = exportOnnx(model, { outputName: 'probabilities' }); // a Uint8Array, ready for ONNX Runtime
 * ```
 */
export function exportOnnx(model: Sequential | Layer, options: ExportOnnxOptions = {}): Uint8Array {
  const opset = options.opset ?? DEFAULT_EXPORT_OPSET;
  if (!Number.isSafeInteger(opset) || opset < MIN_EXPORT_OPSET || opset > MAX_OPSET) {
    throw new OnnxExportError(
      `exportOnnx: opset must be an integer from ${MIN_EXPORT_OPSET} to ${MAX_OPSET}, found ${opset}`,
    );
  }
  const inputName = options.inputName ?? 'input';
  const outputName = options.outputName ?? 'output';
  if (inputName === '' || outputName === '' || inputName === outputName) {
    throw new OnnxExportError(
      `exportOnnx: inputName and outputName must be two different non-empty names, found '${inputName}' and '${outputName}'`,
    );
  }
  const root = model instanceof Sequential ? model : new Sequential([model]);
  const inputShape: Shape = [-1, ...exampleShape(root, options.inputShape)];
  const graph = new OnnxGraph(opset);
  graph.reserve(inputName);
  graph.reserve(outputName);
  const { value, shape } = writeLayers(root, '', graph, inputName, inputShape);
  const { nodes, initializers } = graphContents(graph);

  // The last node's output becomes the graph's output; a model without nodes (only Dropout) gets an Identity.
  const last = nodes.find((node) => node.output[0] === value);
  if (last) last.output[0] = outputName;
  else
    nodes.push(create(NodeProtoSchema, { name: 'Identity', opType: 'Identity', input: [value], output: [outputName] }));

  return toBinary(
    ModelProtoSchema,
    create(ModelProtoSchema, {
      irVersion: BigInt(irVersionFor(opset)),
      opsetImport: [create(OperatorSetIdProtoSchema, { domain: '', version: BigInt(opset) })],
      producerName: PRODUCER_NAME,
      producerVersion: version,
      graph: create(GraphProtoSchema, {
        name: 'mnist-ts',
        node: nodes,
        initializer: initializers,
        input: [valueInfo(inputName, inputShape)],
        output: [valueInfo(outputName, shape)],
      }),
    }),
  );
}

/** Writes each layer of `model` in order; nested models are expanded with their index as a name prefix (`2.1`). */
function writeLayers(
  model: Sequential,
  prefix: string,
  graph: OnnxGraph,
  input: string,
  inputShape: Shape,
): { value: string; shape: Shape } {
  let value = input;
  let shape = inputShape;
  model.layers.forEach((layer, i) => {
    const path = `${prefix}${i}`;
    if (layer instanceof Sequential) {
      ({ value, shape } = writeLayers(layer, `${path}.`, graph, value, shape));
      return;
    }
    const outputShape = layerOutputShape(layer, path, shape);
    graph.setPrefix(path);
    const builtIn = LAYER_EXPORTERS.get(layer.type);
    if (isOnnxExportable(layer)) value = layer.toOnnx(graph, value, shape);
    else if (builtIn && layer instanceof builtIn.layerClass) value = builtIn.write(layer, graph, value, shape);
    else {
      throw new OnnxExportError(
        `exportOnnx: layer ${path} (${layer.type}) has no ONNX form; give its class a toOnnx(graph, input, inputShape) method (see docs/onnx.md)`,
      );
    }
    shape = outputShape;
  });
  return { value, shape };
}

function layerOutputShape(layer: Layer, path: string, shape: Shape): Shape {
  try {
    return layer.outputShape(shape);
  } catch (error) {
    throw new OnnxExportError(
      `exportOnnx: layer ${path} (${layer.type}) rejects its input shape [${shape.join(', ').replace('-1', 'batch')}]: ${(error as Error).message}`,
      { cause: error },
    );
  }
}

/** The shape of one example: the option, or `[inputSize]` of a first layer that has one. */
function exampleShape(model: Sequential, given: readonly number[] | undefined): number[] {
  if (given !== undefined) {
    if (!Array.isArray(given) || given.length === 0 || given.some((d) => !Number.isSafeInteger(d) || d < 1)) {
      throw new OnnxExportError(
        `exportOnnx: inputShape must be a non-empty array of positive integers (one example, without the batch), found ${JSON.stringify(given)}`,
      );
    }
    return [...given];
  }
  let first: Layer | undefined = model.layers[0];
  while (first instanceof Sequential) first = first.layers[0];
  const inputSize = (first as { inputSize?: unknown } | undefined)?.inputSize;
  if (typeof inputSize === 'number') return [inputSize];
  throw new OnnxExportError(
    `exportOnnx: the first layer (${first?.type ?? 'none'}) does not fix the size of an example; pass inputShape, such as { inputShape: [1, 28, 28] } for MNIST images`,
  );
}

/** A float32 tensor's name, type and shape, with a dynamic first axis named `batch`. */
function valueInfo(name: string, shape: Shape): ValueInfoProto {
  const dim: TensorShapeProto_Dimension[] = shape.map((d, i) =>
    create(
      TensorShapeProto_DimensionSchema,
      i === 0 ? { value: { case: 'dimParam', value: 'batch' } } : { value: { case: 'dimValue', value: BigInt(d) } },
    ),
  );
  return create(ValueInfoProtoSchema, {
    name,
    type: create(TypeProtoSchema, {
      value: {
        case: 'tensorType',
        value: create(TypeProto_TensorSchema, { elemType: TensorProto_DataType.FLOAT, shape: { dim } }),
      },
    }),
  });
}
