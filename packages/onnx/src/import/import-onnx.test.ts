import { loadMnist } from '@mnist/datasets/node';
import {
  AvgPool2D,
  accuracy,
  BatchNorm,
  Conv2D,
  Dense,
  Dropout,
  Flatten,
  GELU,
  type Layer,
  LeakyReLU,
  MaxPool2D,
  Momentum,
  ReLU,
  Sequential,
  Sigmoid,
  Softmax,
  Tanh,
} from '@mnist/nn';
import { Random, randomNormal, scale } from '@mnist/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { ErfGELU, ONNX_LAYERS } from '../erf-gelu.js';
import { exportOnnx } from '../export/export-onnx.js';
import { type FixtureName, loadFixture } from '../test-helpers/fixtures.test-helper.js';
import { maxAbsDifference, runOnnxRuntime } from '../test-helpers/onnx-runtime.test-helper.js';
import { importOnnx } from './import-onnx.js';

let mnist: Awaited<ReturnType<typeof loadMnist>>;
beforeAll(async () => {
  mnist = await loadMnist();
});

const FIXTURES: FixtureName[] = ['mlp', 'cnn-batchnorm', 'cnn-folded'];

describe('importOnnx of the networks PyTorch trained and exported', () => {
  it.each(FIXTURES)('%s gives PyTorch’s probabilities on the first 100 test images within 1e-5', (name) => {
    const fixture = loadFixture(name);
    const model = importOnnx(fixture.bytes);
    const y = model.predict(mnist.test.slice(0, 100).toTensor(fixture.layout));
    expect(y.shape).toEqual([100, 10]);
    expect(maxAbsDifference(y.data, fixture.probabilities.flat())).toBeLessThan(1e-5);
    expect(Array.from(mnist.test.labels.subarray(0, 100))).toEqual(fixture.labels);
  });

  it('maps each operator to its layer', () => {
    const types = (name: FixtureName) => importOnnx(loadFixture(name).bytes).layers.map((l) => l.type);
    expect(types('mlp')).toEqual(['Dense', 'ReLU', 'Dense', 'ReLU', 'Dense', 'Softmax']);
    const cnn = ['Conv2D', 'BatchNorm', 'ReLU', 'MaxPool2D', 'Conv2D', 'BatchNorm', 'ReLU', 'MaxPool2D'];
    expect(types('cnn-batchnorm')).toEqual([...cnn, 'Flatten', 'Dense', 'ReLU', 'Dense', 'Softmax']);
    expect(types('cnn-folded')).toEqual([
      ...cnn.filter((t) => t !== 'BatchNorm'),
      'Flatten',
      'Dense',
      'ReLU',
      'Dense',
      'Softmax',
    ]);
    // PyTorch's momentum 0.9 (stored as float32) is the layer's 0.1, its epsilon 1e-5 comes back exactly.
    const norm = importOnnx(loadFixture('cnn-batchnorm').bytes).layers[1] as BatchNorm;
    expect([norm.momentum, norm.epsilon]).toEqual([0.1, 1e-5]);
  });

  it.each(FIXTURES)(
    '%s reaches the test accuracy the fixture records, on all 10 000 test images',
    { timeout: 300_000 },
    async (name) => {
      const fixture = loadFixture(name);
      const model = importOnnx(fixture.bytes);
      let correct = 0;
      for (let start = 0; start < mnist.test.length; start += 1000) {
        const part = mnist.test.slice(start, start + 1000);
        correct += Math.round(
          accuracy(model.predict(part.toTensor(fixture.layout), { batchSize: 500 }), part.labels) * part.length,
        );
        // Let the test runner's messages through between slices: a CNN's forward pass over all 10 000 takes a while.
        await new Promise((resolve) => setImmediate(resolve));
      }
      expect(correct / mnist.test.length).toBe(fixture.testAccuracy);
    },
  );
});

describe('an imported model is a model like any other', () => {
  it('fine-tunes the MLP for an epoch of 10 000 images with Momentum, saves and loads, and ONNX Runtime agrees with its export', {
    timeout: 120_000,
  }, async () => {
    const model = importOnnx(loadFixture('mlp').bytes);
    const before = Float32Array.from(model.params()[0].value.data);
    model.compile({ loss: 'categoricalCrossEntropy', optimizer: new Momentum({ learningRate: 0.05, momentum: 0.9 }) });
    const train = mnist.train.slice(0, 10_000);
    const history = await model.fit(train.toTensor(), train.labels, { epochs: 1, batchSize: 64 });
    expect(history.epochs).toHaveLength(1);
    expect(maxAbsDifference(before, model.params()[0].value.data)).toBeGreaterThan(1e-3);
    const x = mnist.test.slice(0, 1000).toTensor();
    const ours = model.predict(x);
    expect(accuracy(ours, mnist.test.labels.subarray(0, 1000))).toBeGreaterThan(0.95);

    const theirs = await runOnnxRuntime(exportOnnx(model, { outputName: 'probabilities' }), x, {
      output: 'probabilities',
    });
    expect(maxAbsDifference(theirs.data, ours.data)).toBeLessThan(1e-5);
    const reloaded = Sequential.load(JSON.parse(JSON.stringify(model.save())));
    expect(Array.from(reloaded.predict(x).data)).toEqual(Array.from(ours.data));
  });

  it('fine-tunes the CNN with batch norm (running statistics move) and ONNX Runtime agrees with its export', {
    timeout: 120_000,
  }, async () => {
    const model = importOnnx(loadFixture('cnn-batchnorm').bytes);
    const norm = model.layers[1] as BatchNorm;
    const meanBefore = Float32Array.from(norm.runningMean.data);
    model.compile({ loss: 'categoricalCrossEntropy', optimizer: new Momentum({ learningRate: 0.01, momentum: 0.9 }) });
    const train = mnist.train.slice(0, 512);
    await model.fit(train.toTensor('image'), train.labels, { epochs: 1, batchSize: 64 });
    expect(maxAbsDifference(meanBefore, norm.runningMean.data)).toBeGreaterThan(1e-4);
    const x = mnist.test.slice(0, 1000).toTensor('image');
    const ours = model.predict(x, { batchSize: 500 });
    const theirs = await runOnnxRuntime(exportOnnx(model, { inputShape: [1, 28, 28] }), x);
    expect(maxAbsDifference(theirs.data, ours.data)).toBeLessThan(1e-5);
  });
});

/** Each built-in layer (and ErfGELU) in a small model, with the shape of one example. */
const ROUND_TRIPS: [string, () => Layer[], number[]][] = [
  [
    'Dense, ReLU, Softmax',
    () => [new Dense(6, 5), new ReLU(), new Dense(5, 3, { useBias: false }), new Softmax()],
    [6],
  ],
  [
    'Conv2D, BatchNorm, MaxPool2D, AvgPool2D, Flatten',
    () => [
      new Conv2D(2, 3, 3, { stride: 2, padding: 1 }),
      new BatchNorm(3, { momentum: 0.2, epsilon: 1e-3 }),
      new MaxPool2D(3, { stride: 1, padding: 1 }),
      new AvgPool2D(2, { padding: 1 }),
      new Flatten(),
      new BatchNorm(12),
    ],
    [2, 5, 5],
  ],
  [
    'LeakyReLU, Sigmoid, Tanh, GELU, ErfGELU, Dropout',
    () => [new LeakyReLU({ slope: 0.1 }), new Sigmoid(), new Tanh(), new GELU(), new ErfGELU(), new Dropout(0.2)],
    [6],
  ],
];

describe('export → import gives identical predictions, bit for bit', () => {
  for (const opset of [13, 17, 20, 26]) {
    it.each(ROUND_TRIPS)(`%s, opset ${opset}`, (_name, layers, example) => {
      const model = new Sequential(layers());
      const copy = importOnnx(exportOnnx(model, { opset, inputShape: example }));
      const x = scale(randomNormal([4, ...example], new Random(opset)), 2);
      expect(Array.from(copy.predict(x).data)).toEqual(Array.from(model.predict(x).data));
      expect(copy.layers.map((l) => l.type)).toEqual(
        model.layers.filter((l) => l.type !== 'Dropout').map((l) => l.type),
      );
      // Configs survive too, float attributes included (0.1 is stored as float32 and read back as 0.1).
      const configs = (m: Sequential) => m.layers.filter((l) => l.type !== 'Dropout').map((l) => l.config());
      expect(configs(copy)).toEqual(
        configs(model).map((c) => ({ ...c, ...('initializer' in c ? { initializer: 'he' } : {}) })),
      );
    });
  }

  it.each(FIXTURES)('for %s, imported, exported and imported again', (name) => {
    const fixture = loadFixture(name);
    const model = importOnnx(fixture.bytes);
    const copy = importOnnx(exportOnnx(model, { inputShape: fixture.layout === 'flat' ? [784] : [1, 28, 28] }));
    const x = mnist.test.slice(0, 50).toTensor(fixture.layout);
    expect(Array.from(copy.predict(x).data)).toEqual(Array.from(model.predict(x).data));
  });

  it('a model with ErfGELU saves and loads with ONNX_LAYERS', () => {
    const model = importOnnx(exportOnnx(new Sequential([new Dense(3, 3), new ErfGELU()])));
    const x = randomNormal([2, 3], new Random(1));
    const loaded = Sequential.load(JSON.stringify(model.save()), { layers: ONNX_LAYERS });
    expect(Array.from(loaded.predict(x).data)).toEqual(Array.from(model.predict(x).data));
  });
});
