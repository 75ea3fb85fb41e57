import { create } from '@bufbuild/protobuf';
import type { OnnxLocation } from '../onnx-error.js';
import { OnnxFormatError } from '../onnx-format-error.js';
import {
  AttributeProto_AttributeType,
  type GraphProto,
  type NodeProto,
  type TensorProto,
  TensorProto_DataType,
  TensorProtoSchema,
} from '../proto/onnx_pb.js';
import { UnsupportedOnnxError } from '../unsupported-onnx-error.js';

/** A constant value of the graph: an initializer, or the output of a `Constant` node (then that node's index). */
export interface GraphConstant {
  readonly tensor: TensorProto;
  readonly node: number | undefined;
}

/**
 * The graph as the importer walks it: which node produces each value, which nodes consume it, and which values are
 * constants. Built once, checking that every value is produced at most once (ONNX graphs are in SSA form). @internal
 */
export class GraphIndex {
  readonly nodes: readonly NodeProto[];
  readonly opset: number;
  private readonly producers = new Map<string, number>();
  private readonly consumerLists = new Map<string, number[]>();
  private readonly constants = new Map<string, GraphConstant>();

  constructor(graph: GraphProto, opset: number) {
    this.nodes = graph.node;
    this.opset = opset;
    for (const tensor of graph.initializer) {
      if (tensor.name === '') throw new OnnxFormatError('an initializer of the graph has no name');
      if (this.constants.has(tensor.name)) throw new OnnxFormatError(`two initializers are named '${tensor.name}'`);
      this.constants.set(tensor.name, { tensor, node: undefined });
    }
    if (graph.sparseInitializer.length > 0) {
      throw new UnsupportedOnnxError(
        `the graph has sparse initializers ('${graph.sparseInitializer[0].values?.name ?? ''}'); only dense tensors import`,
      );
    }
    this.nodes.forEach((node, i) => {
      for (const output of node.output) {
        if (output === '') continue;
        if (this.producers.has(output) || this.constants.has(output)) {
          throw new OnnxFormatError(
            `value '${output}' is produced twice; an ONNX graph assigns each value once`,
            this.location(i),
          );
        }
        this.producers.set(output, i);
      }
      node.input.forEach((input) => {
        if (input === '') return;
        const list = this.consumerLists.get(input);
        if (list) {
          if (list[list.length - 1] !== i) list.push(i);
        } else this.consumerLists.set(input, [i]);
      });
      if (node.opType === 'Constant' && isDefaultDomain(node.domain)) this.addConstantNode(node, i);
    });
  }

  /** Where node `i` is, for error messages. */
  location(i: number): OnnxLocation {
    const node = this.nodes[i];
    return { node: node.name === '' ? `#${i}` : node.name, opType: node.opType || '(no operator)', opset: this.opset };
  }

  /** The indices of the nodes that read `value`, in graph order. */
  consumers(value: string): readonly number[] {
    return this.consumerLists.get(value) ?? [];
  }

  /** The index of the node that produces `value`, if a node does. */
  producer(value: string): number | undefined {
    return this.producers.get(value);
  }

  /** The constant named `value`, if it is one. */
  constant(value: string): GraphConstant | undefined {
    return this.constants.get(value);
  }

  /** Whether `value` is a graph initializer (not a `Constant` node's output). */
  isInitializer(value: string): boolean {
    const constant = this.constants.get(value);
    return constant !== undefined && constant.node === undefined;
  }

  private addConstantNode(node: NodeProto, i: number): void {
    const location = this.location(i);
    if (node.attribute.length !== 1 || node.output.length !== 1) {
      throw new OnnxFormatError('a Constant node has exactly one attribute and one output', location);
    }
    const attribute = node.attribute[0];
    const name = node.output[0];
    let tensor: TensorProto;
    switch (attribute.name) {
      case 'value':
        if (attribute.type !== AttributeProto_AttributeType.TENSOR || !attribute.t) {
          throw new OnnxFormatError("attribute 'value' must be a TENSOR", location);
        }
        tensor = attribute.t;
        break;
      case 'value_float':
        tensor = create(TensorProtoSchema, { dataType: TensorProto_DataType.FLOAT, floatData: [attribute.f] });
        break;
      case 'value_floats':
        tensor = create(TensorProtoSchema, {
          dataType: TensorProto_DataType.FLOAT,
          dims: [BigInt(attribute.floats.length)],
          floatData: attribute.floats,
        });
        break;
      case 'value_int':
        tensor = create(TensorProtoSchema, { dataType: TensorProto_DataType.INT64, int64Data: [attribute.i] });
        break;
      case 'value_ints':
        tensor = create(TensorProtoSchema, {
          dataType: TensorProto_DataType.INT64,
          dims: [BigInt(attribute.ints.length)],
          int64Data: attribute.ints,
        });
        break;
      default:
        throw new UnsupportedOnnxError(
          `a Constant given by '${attribute.name}' does not import; only value, value_float(s) and value_int(s) do`,
          location,
        );
    }
    this.constants.set(name, { tensor, node: i });
  }
}

/** Whether a node's domain is ONNX's default one (`''` or its alias `ai.onnx`). @internal */
export function isDefaultDomain(domain: string): boolean {
  return domain === '' || domain === 'ai.onnx';
}
