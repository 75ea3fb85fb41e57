import { create } from '@bufbuild/protobuf';
import { type Dense, GELU } from '@mnist/nn';
import { Random, randomNormal, Tensor } from '@mnist/tensor';
import { describe, expect, it } from 'vitest';
import { ErfGELU } from '../erf-gelu.js';
import type { OnnxError } from '../onnx-error.js';
import { OnnxFormatError } from '../onnx-format-error.js';
import { StringStringEntryProtoSchema, TensorProto_DataLocation } from '../proto/onnx_pb.js';
import { countFloat32Allocations } from '../test-helpers/float32-allocations.test-helper.js';
import { buildModel, type ModelSpec, modelBytes } from '../test-helpers/onnx-model.test-helper.js';
import { UnsupportedOnnxError } from '../unsupported-onnx-error.js';
import { importOnnx } from './import-onnx.js';

const W = { data: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], shape: [4, 3] };

/** The error importing `spec` throws, checked to be of `type` and to match `message`. */
function expectError(spec: ModelSpec | Uint8Array, type: typeof OnnxError, message: RegExp): OnnxError {
  const bytes = spec instanceof Uint8Array ? spec : modelBytes(spec);
  try {
    importOnnx(bytes);
  } catch (error) {
    expect(error).toBeInstanceOf(type);
    expect((error as Error).message).toMatch(message);
    return error as OnnxError;
  }
  throw new Error('expected the import to fail');
}

describe('importOnnx: what other exporters write', () => {
  it('Gemm with transB, alpha and beta folds them into the Dense layer', () => {
    const bytes = modelBytes({
      build: (g, x) =>
        g.node('Gemm', [x, g.initializer('w', { data: W.data, shape: [3, 4] }), g.constant([1, -1, 2])], {
          transB: { int: 1 },
          alpha: { float: 0.5 },
          beta: { float: 2 },
        }),
    });
    const dense = importOnnx(bytes).layers[0] as Dense;
    // B is [out, in] = [[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]]; the weight is 0.5·Bᵀ.
    expect(Array.from(dense.weight.value.data)).toEqual([0.5, 2.5, 4.5, 1, 3, 5, 1.5, 3.5, 5.5, 2, 4, 6]);
    expect(Array.from(dense.bias?.value.data ?? [])).toEqual([2, -2, 4]);
  });

  it('Gemm with a scalar C, and without C', () => {
    const scalar = importOnnx(
      modelBytes({ build: (g, x) => g.node('Gemm', [x, g.initializer('w', W), g.constant([3], [])]) }),
    );
    expect(Array.from((scalar.layers[0] as Dense).bias?.value.data ?? [])).toEqual([3, 3, 3]);
    const none = importOnnx(modelBytes({ build: (g, x) => g.node('Gemm', [x, g.initializer('w', W)]) }));
    expect((none.layers[0] as Dense).bias).toBeUndefined();
  });

  it('MatMul followed by Add is one Dense layer; MatMul alone has no bias', () => {
    const withBias = importOnnx(
      modelBytes({
        build: (g, x) => g.node('Add', [g.constant([1, 2, 3], [1, 3]), g.node('MatMul', [x, g.initializer('w', W)])]),
      }),
    );
    expect(withBias.layers.map((l) => l.type)).toEqual(['Dense']);
    const x = new Tensor(new Float32Array([1, 0, 0, 1]), [1, 4]);
    expect(Array.from(withBias.predict(x).data)).toEqual([1 + 10 + 1, 2 + 11 + 2, 3 + 12 + 3]);
    const plain = importOnnx(
      modelBytes({ build: (g, x) => g.node('Relu', [g.node('MatMul', [x, g.initializer('w', W)])]) }),
    );
    expect(plain.layers.map((l) => l.type)).toEqual(['Dense', 'ReLU']);
  });

  it('Reshape that flattens, by a shape from a Constant node', () => {
    for (const shape of [
      [0, -1],
      [-1, 12],
      [0, 12],
    ]) {
      const model = importOnnx(
        modelBytes({
          inputShape: [-1, 3, 2, 2],
          build: (g, x) => g.node('Reshape', [x, 'shape']),
          edit: (_m, graph) => graph.node.unshift(constantNode('shape', shape)),
        }),
      );
      expect(model.layers.map((l) => l.type)).toEqual(['Flatten']);
    }
    expectError(
      {
        inputShape: [-1, 3, 2, 2],
        build: (g, x) => g.node('Reshape', [x, 'shape']),
        edit: (_m, graph) => graph.node.unshift(constantNode('shape', [1, -1])),
      },
      UnsupportedOnnxError,
      /node 'Reshape' \(Reshape, opset 13\): shape \[1,-1\] does not flatten \[batch, 3, 2, 2\] to \[batch, 12\]/,
    );
  });

  it('the Erf formula of GELU is the exact ErfGELU, the Tanh formula the GELU layer, in any order', () => {
    const erf = importOnnx(
      modelBytes({
        build: (g, x) => {
          // x·0.5 first, then times (1 + erf(x·(1/√2))): not the order PyTorch writes.
          const half = g.node('Mul', [g.constant([0.5], []), x]);
          const e = g.node('Erf', [g.node('Mul', [x, g.constant([Math.SQRT1_2], [])])]);
          return g.node('Mul', [half, g.node('Add', [g.constant([1], []), e])]);
        },
      }),
    );
    expect(erf.layers[0]).toBeInstanceOf(ErfGELU);
    const followed = importOnnx(
      modelBytes({
        build: (g, x) => {
          const e = g.node('Erf', [g.node('Div', [x, g.constant([Math.SQRT2], [])])]);
          const y = g.node('Mul', [g.node('Mul', [x, g.node('Add', [e, g.constant([1], [])])]), g.constant([0.5], [])]);
          return g.node('Tanh', [y]);
        },
      }),
    );
    expect(followed.layers.map((l) => l.type)).toEqual(['onnx/ErfGELU', 'Tanh']);
  });

  it('Gelu of opset 20 with either approximation', () => {
    const none = importOnnx(modelBytes({ opset: 20, build: (g, x) => g.node('Gelu', [x]) }));
    expect(none.layers[0]).toBeInstanceOf(ErfGELU);
    const tanh = importOnnx(
      modelBytes({ opset: 20, build: (g, x) => g.node('Gelu', [x], { approximate: { string: 'tanh' } }) }),
    );
    expect(tanh.layers[0]).toBeInstanceOf(GELU);
    const x = randomNormal([3, 4], new Random(1));
    expect(Array.from(tanh.predict(x).data)).toEqual(Array.from(new GELU().forward(x).data));
  });

  it('Dropout of opset 11 (ratio attribute) and 13 (ratio input), and Identity', () => {
    const old = importOnnx(
      modelBytes({ opset: 11, build: (g, x) => g.node('Dropout', [x], { ratio: { float: 0.25 } }) }),
    );
    expect(old.layers.map((l) => l.config())).toEqual([{ rate: 0.25 }]);
    const current = importOnnx(
      modelBytes({ build: (g, x) => g.node('Identity', [g.node('Dropout', [x, g.constant([0.3], [])])]) }),
    );
    expect(current.layers.map((l) => l.config())).toEqual([{ rate: 0.3 }]);
  });
});

describe('importOnnx: one clear error naming the node, the operator and the opset', () => {
  it('an unsupported operator', () => {
    const error = expectError(
      { build: (g, x) => g.node('Relu', [g.node('LpNormalization', [x])]) },
      UnsupportedOnnxError,
      /^node 'LpNormalization' \(LpNormalization, opset 13\): the operator LpNormalization does not import; the operators that do are Gemm, MatMul/,
    );
    expect(error.location).toEqual({ node: 'LpNormalization', opType: 'LpNormalization', opset: 13 });
  });

  it('an unsupported attribute or attribute value', () => {
    const conv = (attributes: Record<string, { ints: number[] } | { int: number }>) => ({
      inputShape: [-1, 1, 5, 5],
      build: (g: import('../export/onnx-graph.js').OnnxGraph, x: string) =>
        g.node('Conv', [x, g.initializer('w', { data: Array(9).fill(1), shape: [1, 1, 3, 3] })], attributes),
    });
    expectError(
      conv({ dilations: { ints: [2, 2] } }),
      UnsupportedOnnxError,
      /\(Conv, opset 13\): only dilations of 1 import/,
    );
    expectError(conv({ group: { int: 2 } }), UnsupportedOnnxError, /group = 2: only group = 1 imports/);
    expectError(
      conv({ pads: { ints: [1, 0, 1, 0] } }),
      UnsupportedOnnxError,
      /only the same padding on every side imports/,
    );
    expectError(
      conv({ foo: { int: 1 } }),
      UnsupportedOnnxError,
      /attribute 'foo' does not import \(this importer reads auto_pad/,
    );
    expectError(
      { build: (g, x) => g.node('Gemm', [x, g.initializer('w', W)], { transA: { int: 1 } }) },
      UnsupportedOnnxError,
      /\(Gemm, opset 13\): transA = 1 multiplies the transposed input/,
    );
    expectError(
      {
        inputShape: [-1, 1, 4, 4],
        build: (g, x) => g.node('AveragePool', [x], { kernel_shape: { ints: [2, 2] }, pads: { ints: [1, 1, 1, 1] } }),
      },
      UnsupportedOnnxError,
      /count_include_pad = 0 with padding/,
    );
  });

  it('an operator newer than the model’s opset, and opsets outside 11 to 26', () => {
    expectError(
      { opset: 17, build: (g, x) => g.node('Gelu', [x]) },
      UnsupportedOnnxError,
      /\(Gelu, opset 17\): Gelu is not an operator of opset 17 \(it exists from opset 20\)/,
    );
    expectError(
      { opset: 10, build: (g, x) => g.node('Relu', [x]) },
      UnsupportedOnnxError,
      /uses opset 10 .* reads opsets 11 to 26/,
    );
    expectError({ opset: 27, build: (g, x) => g.node('Relu', [x]) }, UnsupportedOnnxError, /uses opset 27/);
  });

  it('a graph that is not a chain', () => {
    expectError(
      { build: (g, x) => g.node('Add', [g.node('Relu', [x]), g.node('Sigmoid', [x])]) },
      UnsupportedOnnxError,
      /value 'x' feeds 2 nodes, 'Relu' \(Relu\), 'Sigmoid' \(Sigmoid\): the graph branches/,
    );
    expectError(
      {
        build: (g, x) => g.node('Relu', [x]),
        edit: (_m, graph) => graph.node.push({ ...graph.node[0], name: 'orphan', input: ['x2'], output: ['y2'] }),
      },
      UnsupportedOnnxError,
      /node 'orphan' \(Relu, opset 13\): the node is not on the chain from input 'x' to output/,
    );
    expectError({ build: (g, x) => g.node('Gemm', [x, g.node('Relu', [x])]) }, UnsupportedOnnxError, /feeds 2 nodes/);
  });

  it('weights kept in an external file', () => {
    expectError(
      {
        build: (g, x) => g.node('Gemm', [x, g.initializer('w', W)]),
        edit: (_m, graph) => {
          const w = graph.initializer[0];
          w.rawData = new Uint8Array(0);
          w.dataLocation = TensorProto_DataLocation.EXTERNAL;
          w.externalData = [create(StringStringEntryProtoSchema, { key: 'location', value: 'weights.bin' })];
        },
      },
      UnsupportedOnnxError,
      /node 'Gemm' \(Gemm, opset 13\): tensor 'w' keeps its data in an external file \('weights.bin'\)/,
    );
  });

  it('weights of another type, or computed by the graph', () => {
    expectError(
      {
        build: (g, x) => g.node('Gemm', [x, g.initializer('w', W)]),
        edit: (_m, graph) => {
          graph.initializer[0].dataType = 11;
        },
      },
      UnsupportedOnnxError,
      /tensor 'w' holds DOUBLE values; only float32 \(FLOAT\) weights import/,
    );
  });
});

describe('importOnnx of bad bytes: a typed error, with allocations paid for by the bytes', () => {
  it('bytes that are not an ONNX model', () => {
    expectError(new TextEncoder().encode('{"format": "mnist-ts/sequential"}'), OnnxFormatError, /^not an ONNX model/);
    expectError(new Uint8Array(0), OnnxFormatError, /not an ONNX model: ir_version is 0/);
    expectError(new Uint8Array([0x08, 0x07]), OnnxFormatError, /not an ONNX model: it has no graph/);
    expect(() => importOnnx('model.onnx' as unknown as Uint8Array)).toThrow(
      /expected the bytes of an ONNX file as a Uint8Array or ArrayBuffer, found string/,
    );
  });

  it('a tensor whose shape declares more than its bytes hold fails before allocating it', () => {
    // 2³¹ × 2²⁴ values declared, 48 bytes held: refused before any array of that size, or of the budget's, is made.
    const huge = modelBytes({
      build: (g, x) => g.node('Gemm', [x, g.initializer('w', W)]),
      edit: (_m, graph) => {
        graph.initializer[0].dims = [2n ** 31n, 2n ** 24n];
      },
    });
    const error = expectError(
      huge,
      OnnxFormatError,
      /\(Gemm, opset 13\): tensor 'w' declares \[2147483648,16777216\], more values than the import may hold/,
    );
    expect(error.location?.opType).toBe('Gemm');
    // 400 × 300 declared, 48 bytes held: the size is within the budget, but not paid for by the file.
    const short = modelBytes({
      build: (g, x) => g.node('Gemm', [x, g.initializer('w', W)]),
      edit: (_m, graph) => {
        graph.initializer[0].dims = [400, 300].map(BigInt);
      },
    });
    expectError(
      short,
      OnnxFormatError,
      /tensor 'w' declares \[400,300\] \(120000 float32 values, 480000 bytes\) but holds 48 bytes of raw_data/,
    );
    for (const bytes of [huge, short]) {
      const { error, largest } = countFloat32Allocations(() => importOnnx(bytes));
      expect(error).toBeInstanceOf(OnnxFormatError);
      expect(largest).toBeLessThan(1000);
    }
  });

  it('maxParameters bounds the weights in all', () => {
    const bytes = modelBytes({ build: (g, x) => g.node('Gemm', [x, g.initializer('w', W), g.constant([1, 2, 3])]) });
    expect(importOnnx(bytes, { maxParameters: 15 }).parameterCount()).toBe(15);
    expect(() => importOnnx(bytes, { maxParameters: 14 })).toThrow(
      /more values than the import may hold \(maxParameters: 2 left\)/,
    );
  });

  it('non-finite weights', () => {
    expectError(
      {
        build: (g, x) =>
          g.node('Gemm', [x, g.initializer('w', { data: [...W.data.slice(1), Number.NaN], shape: [4, 3] })]),
      },
      OnnxFormatError,
      /value 11 of tensor 'w' is NaN; weights must be finite/,
    );
  });

  it('a value produced twice', () => {
    expectError(
      {
        build: (g, x) => g.node('Relu', [x]),
        edit: (_m, graph) => graph.node.push({ ...graph.node[0], input: [graph.node[0].output[0]] }),
      },
      OnnxFormatError,
      /value 'Relu_output' is produced twice/,
    );
  });

  it('a shape that contradicts the weights', () => {
    expectError(
      { inputShape: [-1, 5], build: (g, x) => g.node('Gemm', [x, g.initializer('w', W)]) },
      OnnxFormatError,
      /its input of shape \[batch, 5\] does not fit/,
    );
  });
});

/** A Constant node of int64 values. */
function constantNode(output: string, values: number[]) {
  const model = buildModel({ build: (g, x) => g.node('Constant', [], { value_ints: { ints: values } }) && x });
  const node = model.graph?.node[0];
  if (!node) throw new Error('no node');
  node.output = [output];
  return node;
}
