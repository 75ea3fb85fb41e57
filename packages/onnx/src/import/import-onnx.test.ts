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
  loadModel,
  MaxPool2D,
  Momentum,
  ReLU,
  Sequential,
  Sigmoid,
  Softmax,
  Tanh,
} from '@mnist/nn';
import { createWasmBackend, maxAbsDiff, Random, randomNormal, scale } from '@mnist/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { ErfGELU, ONNX_LAYERS } from '../erf-gelu.js';
import { exportOnnx } from '../export/export-onnx.js';
import { type Fixture, type FixtureName, loadFixture } from '../test-helpers/fixtures.test-helper.js';
import { runOnnxRuntime } from '../test-helpers/onnx-runtime.test-helper.js';
import { importOnnx } from './import-onnx.js';

const FIXTURES: FixtureName[] = ['mlp', 'cnn-batchnorm', 'cnn-folded'];

// The fixtures' models are imported once per file and placed on the wasm backend, as an application would place them;
// the tests that train take fresh copies. One thread: the machine's other cores run the other test files.
const backend = createWasmBackend({ threads: 1 });
let mnist: Awaited<ReturnType<typeof loadMnist>>;
const imported = new Map<FixtureName, { fixture: Fixture; model: Sequential }>();
beforeAll(async () => {
  mnist = await loadMnist();
  for (const name of FIXTURES) {
    const fixture = loadFixture(name);
    imported.set(name, { fixture, model: importOnnx(fixture.bytes).to(backend) });
  }
});

function fixtureModel(name: FixtureName): { fixture: Fixture; model: Sequential } {
  return imported.get(name) as { fixture: Fixture; model: Sequential };
}

describe('importOnnx of the networks PyTorch trained and exported', () => {
  it.each(FIXTURES)('%s gives PyTorch’s probabilities on the first 100 test images within 1e-5', (name) => {
    const { fixture, model } = fixtureModel(name);
    const y = model.predict(mnist.test.slice(0, 100).toTensor(fixture.layout).to(backend));
    expect(y.shape).toEqual([100, 10]);
    expect(maxAbsDiff(y.data, fixture.probabilities.flat())).toBeLessThan(1e-5);
    expect(Array.from(mnist.test.labels.subarray(0, 100))).toEqual(fixture.labels);
  });

  it('maps each operator to its layer', () => {
    const types = (name: FixtureName) => fixtureModel(name).model.layers.map((l) => l.type);
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
    const norm = fixtureModel('cnn-batchnorm').model.layers[1] as BatchNorm;
    expect([norm.momentum, norm.epsilon]).toEqual([0.1, 1e-5]);
  });

  // A few seconds for each CNN on this machine's one thread; the timeout is for a slow, loaded one.
  it.each(FIXTURES)(
    '%s reaches the test accuracy the fixture records, on all 10 000 test images',
    {
      timeout: 60_000,
    },
    async (name) => {
      const { fixture, model } = fixtureModel(name);
      let correct = 0;
      for (let start = 0; start < mnist.test.length; start += 1000) {
        const part = mnist.test.slice(start, start + 1000);
        // Batches of 250: a layer's buffers are sized for its largest batch, and a CNN's at 1000 images are hundreds of
        // megabytes, which several models in one file would pile up towards the memory's limit.
        const y = model.predict(part.toTensor(fixture.layout).to(backend), { batchSize: 250 });
        correct += Math.round(accuracy(y, part.labels) * part.length);
        // Let the test runner's messages through between slices.
        await new Promise((resolve) => setImmediate(resolve));
      }
      expect(correct / mnist.test.length).toBe(fixture.testAccuracy);
    },
  );
});

describe('an imported model is a model like any other', () => {
  it('fine-tunes the MLP for an epoch of 10 000 images with Momentum, saves and loads, and ONNX Runtime agrees with its export', {
    timeout: 60_000,
  }, async () => {
    const model = importOnnx(fixtureModel('mlp').fixture.bytes).to(backend);
    const before = Float32Array.from(model.params()[0].value.data);
    model.compile({ loss: 'categoricalCrossEntropy', optimizer: new Momentum({ learningRate: 0.05, momentum: 0.9 }) });
    const train = mnist.train.slice(0, 10_000);
    const history = await model.fit(train.toTensor(), train.labels, { epochs: 1, batchSize: 64 });
    expect(history.epochs).toHaveLength(1);
    expect(maxAbsDiff(before, model.params()[0].value.data)).toBeGreaterThan(1e-3);
    const x = mnist.test.slice(0, 1000).toTensor().to(backend);
    const ours = model.predict(x, { batchSize: 1000 });
    expect(accuracy(ours, mnist.test.labels.subarray(0, 1000))).toBeGreaterThan(0.95);

    const theirs = await runOnnxRuntime(exportOnnx(model, { outputName: 'probabilities' }), x, {
      output: 'probabilities',
    });
    expect(maxAbsDiff(theirs.data, ours.data)).toBeLessThan(1e-5);
    const reloaded = loadModel(JSON.parse(JSON.stringify(model.save()))).to(backend);
    expect(Array.from(reloaded.predict(x, { batchSize: 1000 }).data)).toEqual(Array.from(ours.data));
  });

  it('fine-tunes the CNN with batch norm (running statistics move) and ONNX Runtime agrees with its export', {
    timeout: 60_000,
  }, async () => {
    const model = importOnnx(fixtureModel('cnn-batchnorm').fixture.bytes).to(backend);
    const norm = model.layers[1] as BatchNorm;
    const meanBefore = Float32Array.from(norm.runningMean.data);
    model.compile({ loss: 'categoricalCrossEntropy', optimizer: new Momentum({ learningRate: 0.01, momentum: 0.9 }) });
    const train = mnist.train.slice(0, 512);
    await model.fit(train.toTensor('image'), train.labels, { epochs: 1, batchSize: 64 });
    expect(maxAbsDiff(meanBefore, norm.runningMean.data)).toBeGreaterThan(1e-4);
    const x = mnist.test.slice(0, 1000).toTensor('image').to(backend);
    const ours = model.predict(x, { batchSize: 1000 });
    const theirs = await runOnnxRuntime(exportOnnx(model, { inputShape: [1, 28, 28] }), x);
    expect(maxAbsDiff(theirs.data, ours.data)).toBeLessThan(1e-5);
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
    const { fixture, model } = fixtureModel(name);
    const copy = importOnnx(exportOnnx(model, { inputShape: fixture.layout === 'flat' ? [784] : [1, 28, 28] }));
    copy.to(backend);
    const x = mnist.test.slice(0, 50).toTensor(fixture.layout).to(backend);
    expect(Array.from(copy.predict(x).data)).toEqual(Array.from(model.predict(x).data));
  });

  it('a model with ErfGELU saves and loads with ONNX_LAYERS', () => {
    const model = importOnnx(exportOnnx(new Sequential([new Dense(3, 3), new ErfGELU()])));
    const x = randomNormal([2, 3], new Random(1));
    const loaded = loadModel(JSON.stringify(model.save()), { layers: ONNX_LAYERS });
    expect(Array.from(loaded.predict(x).data)).toEqual(Array.from(model.predict(x).data));
  });
});
