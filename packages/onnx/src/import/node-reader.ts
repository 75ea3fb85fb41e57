import type { OnnxLocation } from '../onnx-error.js';
import { OnnxFormatError } from '../onnx-format-error.js';
import { type AttributeProto, AttributeProto_AttributeType, type NodeProto } from '../proto/onnx_pb.js';
import { UnsupportedOnnxError } from '../unsupported-onnx-error.js';
import type { GraphIndex } from './graph-index.js';
import { type ImportedTensor, readFloat32, readInt64, type TensorProblems, type ValueBudget } from './read-tensor.js';

/** The ONNX types of the attributes the importer reads. */
type AttributeKind = 'int' | 'float' | 'string' | 'ints' | 'floats';
type AttributeValue<K extends AttributeKind> = K extends 'int' | 'float'
  ? number
  : K extends 'string'
    ? string
    : number[];
/** The attributes a node was given, by name, each `undefined` when absent. */
export type Attributes<S extends Record<string, AttributeKind>> = { [K in keyof S]: AttributeValue<S[K]> | undefined };

const ATTRIBUTE_TYPES: Record<AttributeKind, AttributeProto_AttributeType> = {
  int: AttributeProto_AttributeType.INT,
  float: AttributeProto_AttributeType.FLOAT,
  string: AttributeProto_AttributeType.STRING,
  ints: AttributeProto_AttributeType.INTS,
  floats: AttributeProto_AttributeType.FLOATS,
};

// Attribute integers are int64; the ones the importer reads (sizes, flags, axes) are small.
const MAX_ATTRIBUTE_INT = 2 ** 31;

/**
 * One node as an operator importer reads it: its attributes (every one it was given must be known, so nothing the
 * layer would ignore slips through), its constant inputs (read within the import's budget), and errors that name the
 * node, its operator and the opset. @internal
 */
export class NodeReader {
  readonly node: NodeProto;
  readonly index: number;
  readonly graph: GraphIndex;
  readonly location: OnnxLocation;
  private readonly budget: ValueBudget;

  constructor(graph: GraphIndex, index: number, budget: ValueBudget) {
    this.graph = graph;
    this.index = index;
    this.node = graph.nodes[index];
    this.location = graph.location(index);
    this.budget = budget;
  }

  /** A reader of another node of the same graph, sharing this import's budget (for patterns of several nodes). */
  sibling(index: number): NodeReader {
    return new NodeReader(this.graph, index, this.budget);
  }

  /** The opset the model imports. */
  get opset(): number {
    return this.graph.opset;
  }

  /** An error for a valid node that has no layer to hold it. */
  unsupported(detail: string): UnsupportedOnnxError {
    return new UnsupportedOnnxError(detail, this.location);
  }

  /** An error for a node that breaks the ONNX specification. */
  invalid(detail: string): OnnxFormatError {
    return new OnnxFormatError(detail, this.location);
  }

  /** The node's first output: the value the chain continues from. */
  output(): string {
    const output = this.node.output[0];
    if (output === undefined || output === '') throw this.invalid('the node has no output');
    return output;
  }

  /**
   * Reads the attributes named in `spec`, each checked against its ONNX type. An attribute not in `spec` is an
   * {@link UnsupportedOnnxError}: the importer would otherwise ignore something that changes the result.
   */
  attributes<S extends Record<string, AttributeKind>>(spec: S): Attributes<S> {
    const result: Record<string, unknown> = {};
    for (const attribute of this.node.attribute) {
      const kind = Object.hasOwn(spec, attribute.name) ? spec[attribute.name] : undefined;
      if (kind === undefined) {
        const known = Object.keys(spec);
        throw this.unsupported(
          `attribute '${attribute.name}' does not import (${known.length > 0 ? `this importer reads ${known.join(', ')}` : 'this operator takes none here'})`,
        );
      }
      if (Object.hasOwn(result, attribute.name)) throw this.invalid(`attribute '${attribute.name}' is given twice`);
      if (attribute.refAttrName !== '')
        throw this.unsupported(`attribute '${attribute.name}' refers to a function's attribute`);
      result[attribute.name] = this.attributeValue(attribute, kind);
    }
    return result as Attributes<S>;
  }

  /** The name of input `i`, or `undefined` when it is absent or `''` (an optional input left out). */
  optionalInput(i: number): string | undefined {
    const name = this.node.input[i];
    return name === undefined || name === '' ? undefined : name;
  }

  /** Checks that the node has between `min` and `max` inputs. */
  expectInputs(min: number, max: number): void {
    const count = this.node.input.length;
    if (count < min || count > max) {
      throw this.invalid(`expected ${min === max ? min : `${min} to ${max}`} inputs, found ${count}`);
    }
  }

  /**
   * Reads input `i` as a float32 constant (an initializer or a `Constant` node's value).
   * @param role - what the input is, for messages (`the weight B`)
   */
  constantInput(i: number, role: string): ImportedTensor {
    return readFloat32(this.constantTensor(i, role), this.node.input[i], this.budget, this.problems());
  }

  /** Reads input `i` as a small int64 constant (at most `maxSize` values). */
  int64Input(i: number, role: string, maxSize: number): number[] {
    return readInt64(this.constantTensor(i, role), this.node.input[i], maxSize, this.problems());
  }

  /** Whether input `i` is present and a constant. */
  isConstantInput(i: number): boolean {
    const name = this.optionalInput(i);
    return name !== undefined && this.graph.constant(name) !== undefined;
  }

  private constantTensor(i: number, role: string) {
    const name = this.optionalInput(i);
    if (name === undefined) throw this.invalid(`${role} (input ${i}) is missing`);
    const constant = this.graph.constant(name);
    if (!constant) {
      throw this.unsupported(
        `${role} (input ${i}, '${name}') is computed by the graph; only constants (initializers or Constant nodes) import as weights`,
      );
    }
    return constant.tensor;
  }

  private problems(): TensorProblems {
    return { unsupported: (detail) => this.unsupported(detail), invalid: (detail) => this.invalid(detail) };
  }

  private attributeValue(attribute: AttributeProto, kind: AttributeKind): unknown {
    if (attribute.type !== ATTRIBUTE_TYPES[kind]) {
      throw this.invalid(
        `attribute '${attribute.name}' must be ${AttributeProto_AttributeType[ATTRIBUTE_TYPES[kind]]}, found ${AttributeProto_AttributeType[attribute.type] ?? attribute.type}`,
      );
    }
    const integer = (v: bigint) => {
      if (v < -MAX_ATTRIBUTE_INT || v > MAX_ATTRIBUTE_INT)
        throw this.unsupported(`attribute '${attribute.name}' holds ${v}, out of range`);
      return Number(v);
    };
    switch (kind) {
      case 'int':
        return integer(attribute.i);
      case 'float':
        return attribute.f;
      case 'string':
        return new TextDecoder().decode(attribute.s);
      case 'ints':
        return attribute.ints.map(integer);
      case 'floats':
        return [...attribute.floats];
    }
  }
}
