import { fromBinary } from '@bufbuild/protobuf';
import {
  ActivationLayer,
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
  Sequential,
  Sigmoid,
  Softmax,
  Tanh,
} from '@mnist/nn';
import { maxAbsDiff, Random, randomNormal, scale, type Tensor } from '@mnist/tensor';
import { describe, expect, it } from 'vitest';
import packageJson from '../../package.json';
import { ErfGELU } from '../erf-gelu.js';
import { OnnxExportError } from '../onnx-export-error.js';
import { ModelProtoSchema } from '../proto/onnx_pb.js';
import { runOnnxRuntime } from '../test-helpers/onnx-runtime.test-helper.js';
import { exportOnnx } from './export-onnx.js';
import type { OnnxGraph } from './onnx-graph.js';

/** A BatchNorm whose running statistics and γ, β are not the identity, so the export must carry them. */
function batchNorm(features: number, seed: number): BatchNorm {
  const layer = new BatchNorm(features, { epsilon: 1e-3 });
  const rng = new Random(seed);
  rng.fillNormal(layer.weight.value.data, 1, 0.3);
  rng.fillNormal(layer.bias.value.data, 0, 0.5);
  rng.fillNormal(layer.runningMean.data, 0, 0.5);
  rng.fillUniform(layer.runningVar.data, 0.5, 2);
  return layer;
}

const IMAGE = [2, 7, 7];
/** Each built-in layer in a small model, with the shape of one example. */
const CASES: [string, () => Layer[], number[]][] = [
  ['Dense', () => [new Dense(6, 5)], [6]],
  ['Dense without bias', () => [new Dense(6, 5, { useBias: false })], [6]],
  ['Conv2D, stride 2, padding 1', () => [new Conv2D(2, 3, 3, { stride: 2, padding: 1 })], IMAGE],
  ['Conv2D without bias', () => [new Conv2D(2, 3, 2, { useBias: false })], IMAGE],
  ['MaxPool2D with padding', () => [new MaxPool2D(3, { stride: 2, padding: 1 })], IMAGE],
  ['MaxPool2D', () => [new MaxPool2D(2)], IMAGE],
  ['AvgPool2D with padding', () => [new AvgPool2D(3, { stride: 2, padding: 1 })], IMAGE],
  ['AvgPool2D', () => [new AvgPool2D(2)], IMAGE],
  ['Flatten', () => [new Flatten()], IMAGE],
  ['BatchNorm on images', () => [batchNorm(2, 1)], IMAGE],
  ['BatchNorm on features', () => [batchNorm(6, 2)], [6]],
  ['Dropout', () => [new Dense(6, 5), new Dropout(0.5)], [6]],
  ['Dropout alone', () => [new Dropout(0.3)], [6]],
  ['ReLU', () => [new ReLU()], [6]],
  ['LeakyReLU', () => [new LeakyReLU({ slope: 0.2 })], [6]],
  ['Sigmoid', () => [new Sigmoid()], [6]],
  ['Tanh', () => [new Tanh()], [6]],
  ['GELU', () => [new GELU()], [6]],
  ['Softmax', () => [new Softmax()], [6]],
  ['ErfGELU', () => [new ErfGELU()], [6]],
  ['a nested Sequential', () => [new Sequential([new Dense(6, 4), new ReLU()]), new Dense(4, 3)], [6]],
];

/** Runs the model here and in ONNX Runtime on two batch sizes (the batch axis is dynamic). */
async function compareWithOnnxRuntime(model: Sequential, example: number[], opset: number): Promise<number> {
  const bytes = exportOnnx(model, { opset, inputShape: example });
  let worst = 0;
  for (const batch of [5, 2]) {
    const x = scale(randomNormal([batch, ...example], new Random(batch)), 2);
    const ours = model.predict(x);
    const theirs = await runOnnxRuntime(bytes, x);
    expect(theirs.shape).toEqual(ours.shape);
    worst = Math.max(worst, maxAbsDiff(theirs.data, ours.data));
  }
  return worst;
}

describe('exportOnnx: ONNX Runtime computes what the model computes', () => {
  for (const opset of [13, 17, 20]) {
    it.each(CASES)(`%s, opset ${opset}`, async (_name, layers, example) => {
      // No model seed: it would reset BatchNorm's γ and β, which the cases set to values an export must carry.
      const model = new Sequential(layers());
      expect(await compareWithOnnxRuntime(model, example, opset)).toBeLessThan(1e-5);
    });
  }

  it('writes the documented header: opset, IR version, producer, named input and output, a dynamic batch', () => {
    const model = new Sequential([new Dense(4, 3), new Softmax()], { seed: 1 });
    const proto = fromBinary(ModelProtoSchema, exportOnnx(model, { outputName: 'probabilities' }));
    expect(proto.opsetImport.map((o) => [o.domain, o.version])).toEqual([['', 17n]]);
    expect(proto.irVersion).toBe(8n);
    expect(proto.producerName).toBe('mnist-ts');
    expect(proto.producerVersion).toBe(packageJson.version);
    const graph = proto.graph!;
    expect(graph.input.map((i) => i.name)).toEqual(['input']);
    expect(graph.output.map((o) => o.name)).toEqual(['probabilities']);
    const type = graph.input[0].type?.value;
    expect(type?.case).toBe('tensorType');
    const dims = type?.case === 'tensorType' ? type.value.shape?.dim : undefined;
    expect(dims?.map((d) => d.value.value)).toEqual(['batch', 4n]);
    expect(graph.node.map((n) => n.opType)).toEqual(['Gemm', 'Softmax']);
    expect(graph.initializer.map((t) => t.name)).toEqual(['0.weight', '0.bias']);
  });

  it('a custom layer exports through its toOnnx method', async () => {
    class Double extends ActivationLayer {
      readonly type = 'acme/Double';
      protected forwardInto(x: Tensor, y: Tensor): Tensor {
        return scale(x, 2, y);
      }
      protected backwardInto(_x: Tensor, _y: Tensor, dy: Tensor, dx: Tensor): Tensor {
        return scale(dy, 2, dx);
      }
      toOnnx(graph: OnnxGraph, input: string): string {
        return graph.node('Mul', [input, graph.constant([2], [])]);
      }
    }
    const model = new Sequential([new Dense(3, 3), new Double()], { seed: 2 });
    expect(await compareWithOnnxRuntime(model, [3], 17)).toBeLessThan(1e-6);
  });

  it('a custom layer without toOnnx is an error that names it', () => {
    class Scale extends ActivationLayer {
      readonly type: string = 'acme/Scale';
      protected forwardInto(x: Tensor, y: Tensor): Tensor {
        return scale(x, 3, y);
      }
      protected backwardInto(_x: Tensor, _y: Tensor, dy: Tensor, dx: Tensor): Tensor {
        return scale(dy, 3, dx);
      }
    }
    const model = new Sequential([new Dense(3, 3), new Scale()]);
    expect(() => exportOnnx(model)).toThrow(OnnxExportError);
    expect(() => exportOnnx(model)).toThrow(/layer 1 \(acme\/Scale\) has no ONNX form; give its class a toOnnx/);
    // A built-in type name is not enough: the built-in rule reads the built-in class's fields.
    class NotDense extends Scale {
      override readonly type = 'Dense';
    }
    expect(() => exportOnnx(new Sequential([new NotDense()]), { inputShape: [3] })).toThrow(
      /layer 0 \(Dense\) has no ONNX form/,
    );
  });

  it('refuses what it cannot write, naming the problem', () => {
    const cnn = new Sequential([new Conv2D(1, 2, 3), new Flatten()]);
    expect(() => exportOnnx(cnn)).toThrow(
      /the first layer \(Conv2D\) does not fix the size of an example; pass inputShape/,
    );
    expect(() => exportOnnx(cnn, { inputShape: [3, 28, 28] })).toThrow(
      /layer 0 \(Conv2D\) rejects its input shape \[batch, 3, 28, 28\]/,
    );
    expect(() => exportOnnx(cnn, { inputShape: [1, 28, 0] })).toThrow(
      /inputShape must be a non-empty array of positive integers/,
    );
    const mlp = new Sequential([new Dense(3, 3)]);
    expect(() => exportOnnx(mlp, { opset: 12 })).toThrow(/opset must be an integer from 13 to 26, found 12/);
    expect(() => exportOnnx(mlp, { opset: 27 })).toThrow(OnnxExportError);
    expect(() => exportOnnx(mlp, { inputName: 'x', outputName: 'x' })).toThrow(/two different non-empty names/);
  });
});
