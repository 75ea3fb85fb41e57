import { create } from '@bufbuild/protobuf';
import type { Shape, Tensor } from '@mnist/tensor';
import {
  type AttributeProto,
  AttributeProto_AttributeType,
  AttributeProtoSchema,
  type NodeProto,
  NodeProtoSchema,
  type TensorProto,
  TensorProto_DataType,
  TensorProtoSchema,
} from '../proto/onnx_pb.js';

/**
 * An attribute of an ONNX node, tagged with its ONNX type: `{ int: 1 }`, `{ float: 0.01 }`, `{ string: 'tanh' }`,
 * `{ ints: [2, 2] }` or `{ floats: [0.5] }`. Floats are stored as float32, as ONNX defines them.
 */
export type OnnxAttribute =
  | { readonly int: number }
  | { readonly float: number }
  | { readonly string: string }
  | { readonly ints: readonly number[] }
  | { readonly floats: readonly number[] };

/**
 * The graph `exportOnnx` is writing, as a layer's exporter sees it: add constants and nodes, each returning the name
 * of the value it makes. Names are made unique and carry the layer's index (`3.weight`, `3/Gemm`), so an exported
 * model reads like the `Sequential` it came from.
 *
 * A custom layer exports by giving its class a `toOnnx(graph, input, inputShape)` method (see {@link OnnxExportable}).
 *
 * @example A layer that doubles its input, as one Mul node
 * ```ts
 * import type { OnnxGraph } from '@mnist/onnx';
 *
 * function doubleToOnnx(graph: OnnxGraph, input: string): string {
 *   return graph.node('Mul', [input, graph.constant([2], [])]);
 * }
 * ```
 */
export class OnnxGraph {
  /** The version of the default operator set being written: an exporter may pick operators by it. */
  readonly opset: number;
  private readonly used = new Set<string>();
  private prefix = '';

  /** @param opset - the version of the default operator set */
  constructor(opset: number) {
    this.opset = opset;
    contents.set(this, { nodes: [], initializers: [] });
  }

  /** Names made from now on start with `prefix` (the layer's index, such as `3` or `2.1`). @internal */
  setPrefix(prefix: string): void {
    this.prefix = prefix;
  }

  /** Reserves a name that no node or constant may take, such as the graph's input. @internal */
  reserve(name: string): void {
    this.used.add(name);
  }

  /**
   * Adds a float32 constant (an initializer) named `<layer>.<name>`, such as `0.weight`, and returns its name.
   * @param name - the local name, such as `weight`
   * @param value - the values and their shape, copied as they are now
   */
  initializer(name: string, value: Tensor | { readonly data: ArrayLike<number>; readonly shape: Shape }): string {
    const unique = this.unique(this.prefix === '' ? name : `${this.prefix}.${name}`);
    graphContents(this).initializers.push(float32Tensor(unique, value.data, value.shape));
    return unique;
  }

  /**
   * Adds a float32 constant of `values` (shape `[]` for a scalar; default: a vector) and returns its name.
   * @param shape - its dimensions; their product must be `values.length`
   */
  constant(values: ArrayLike<number>, shape: Shape = [values.length]): string {
    return this.initializer('constant', { data: values, shape });
  }

  /**
   * Adds a node of the default domain and returns the name of its (first) output.
   * @param opType - the ONNX operator, such as `Gemm`
   * @param inputs - the names of its inputs, in the operator's order (`''` skips an optional input)
   * @param attributes - its attributes by name
   */
  node(opType: string, inputs: readonly string[], attributes: Readonly<Record<string, OnnxAttribute>> = {}): string {
    const name = this.unique(this.prefix === '' ? opType : `${this.prefix}/${opType}`);
    const output = this.unique(`${name}_output`);
    graphContents(this).nodes.push(
      create(NodeProtoSchema, {
        name,
        opType,
        input: [...inputs],
        output: [output],
        attribute: Object.entries(attributes).map(([key, value]) => attribute(key, value)),
      }),
    );
    return output;
  }

  private unique(base: string): string {
    let name = base;
    for (let i = 1; this.used.has(name); i++) name = `${base}_${i}`;
    this.used.add(name);
    return name;
  }
}

// The messages a graph has built, kept out of the class's public shape (and so out of the API docs).
const contents = new WeakMap<OnnxGraph, { nodes: NodeProto[]; initializers: TensorProto[] }>();

/** The nodes (in order) and constant tensors `graph` has built. @internal */
export function graphContents(graph: OnnxGraph): { nodes: NodeProto[]; initializers: TensorProto[] } {
  return contents.get(graph) as { nodes: NodeProto[]; initializers: TensorProto[] };
}

/** A float32 `TensorProto` holding `data` as little-endian bytes in `raw_data`, ONNX's compact form. @internal */
export function float32Tensor(name: string, data: ArrayLike<number>, shape: Shape): TensorProto {
  const bytes = new Uint8Array(data.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < data.length; i++) view.setFloat32(i * 4, data[i], true);
  return create(TensorProtoSchema, {
    name,
    dims: shape.map((d) => BigInt(d)),
    dataType: TensorProto_DataType.FLOAT,
    rawData: bytes,
  });
}

function attribute(name: string, value: OnnxAttribute): AttributeProto {
  if ('int' in value)
    return create(AttributeProtoSchema, { name, type: AttributeProto_AttributeType.INT, i: BigInt(value.int) });
  if ('float' in value)
    return create(AttributeProtoSchema, { name, type: AttributeProto_AttributeType.FLOAT, f: value.float });
  if ('string' in value) {
    return create(AttributeProtoSchema, {
      name,
      type: AttributeProto_AttributeType.STRING,
      s: new TextEncoder().encode(value.string),
    });
  }
  if ('ints' in value) {
    return create(AttributeProtoSchema, {
      name,
      type: AttributeProto_AttributeType.INTS,
      ints: value.ints.map((v) => BigInt(v)),
    });
  }
  return create(AttributeProtoSchema, { name, type: AttributeProto_AttributeType.FLOATS, floats: [...value.floats] });
}
