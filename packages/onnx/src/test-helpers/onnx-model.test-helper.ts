// Builds small ONNX models node by node, for the importer's tests: what other exporters write, or write wrongly.
import { create, toBinary } from '@bufbuild/protobuf';
import { graphContents, OnnxGraph } from '../export/onnx-graph.js';
import {
  type GraphProto,
  GraphProtoSchema,
  type ModelProto,
  ModelProtoSchema,
  OperatorSetIdProtoSchema,
  TensorProto_DataType,
  TensorShapeProto_DimensionSchema,
  TypeProto_TensorSchema,
  TypeProtoSchema,
  ValueInfoProtoSchema,
} from '../proto/onnx_pb.js';

export interface ModelSpec {
  /** Default 13. */
  opset?: number;
  /** The input's shape; the first axis is written as the dynamic `batch`. Default `[-1, 4]`. */
  inputShape?: number[];
  /** Adds the nodes from the input `x` and returns the output value. */
  build: (graph: OnnxGraph, x: string) => string;
  /** Changes the model after it is built. */
  edit?: (model: ModelProto, graph: GraphProto) => void;
}

/** The model `spec` describes, as a message (to corrupt) and as bytes. */
export function buildModel(spec: ModelSpec): ModelProto {
  const graph = new OnnxGraph(spec.opset ?? 13);
  graph.reserve('x');
  const output = spec.build(graph, 'x');
  const info = (name: string, shape: number[] | undefined) =>
    create(ValueInfoProtoSchema, {
      name,
      type: create(TypeProtoSchema, {
        value: {
          case: 'tensorType',
          value: create(TypeProto_TensorSchema, {
            elemType: TensorProto_DataType.FLOAT,
            shape: shape && {
              dim: shape.map((d, i) =>
                create(
                  TensorShapeProto_DimensionSchema,
                  i === 0
                    ? { value: { case: 'dimParam', value: 'batch' } }
                    : { value: { case: 'dimValue', value: BigInt(d) } },
                ),
              ),
            },
          }),
        },
      }),
    });
  const model = create(ModelProtoSchema, {
    irVersion: 7n,
    opsetImport: [create(OperatorSetIdProtoSchema, { domain: '', version: BigInt(spec.opset ?? 13) })],
    graph: create(GraphProtoSchema, {
      name: 'test',
      node: graphContents(graph).nodes,
      initializer: graphContents(graph).initializers,
      input: [info('x', spec.inputShape ?? [-1, 4])],
      output: [info(output, undefined)],
    }),
  });
  spec.edit?.(model, model.graph as GraphProto);
  return model;
}

/** The bytes of the model `spec` describes. */
export function modelBytes(spec: ModelSpec): Uint8Array {
  return toBinary(ModelProtoSchema, buildModel(spec));
}
