import { Random, randomNormal, ShapeError, Tensor } from '@mnist/tensor';
import { describe, expect, it } from 'vitest';
import {
  Dense,
  LayerStateError,
  loadModel,
  ModelFormatError,
  ReLU,
  Sequential,
  SGD,
  Softmax,
  trainStep,
} from '../index.js';
import { CrossEntropy } from '../losses/cross-entropy.js';
import { gradientCheck } from '../testing/gradient-check.js';
import { BatchNorm } from './batch-norm.js';

const training = () => ({ training: true });
const values = (t: Tensor) => Array.from(t.data);
const expectClose = (t: Tensor, expected: number[], digits: number) => {
  expect(t.size).toBe(expected.length);
  for (let i = 0; i < t.size; i++) expect(t.data[i]).toBeCloseTo(expected[i], digits);
};
/** A parsed model file, edited freely to break it. */
interface ModelFileJson {
  state: Record<string, { shape: number[]; data: string }>;
  weights: Record<string, { shape: number[]; data: string }>;
}

describe('BatchNorm forward', () => {
  it('normalises each feature of a tiny [batch, features] batch with its own statistics while training', () => {
    // Feature 0 holds 1, 3 (mean 2, variance 1); feature 1 holds 2, 6 (mean 4, variance 4).
    const layer = new BatchNorm(2, { epsilon: 1e-5 });
    layer.weight.value.data.set([2, 1]);
    layer.bias.value.data.set([0, 1]);
    const y = layer.forward(
      Tensor.fromArray([
        [1, 2],
        [3, 6],
      ]),
      { training: true },
    );
    const s0 = 1 / Math.sqrt(1 + 1e-5);
    const s1 = 2 / Math.sqrt(4 + 1e-5);
    const expected = [2 * -s0, 1 - s1, 2 * s0, 1 + s1];
    expectClose(y, expected, 6);
  });

  it('updates the running statistics by hand: (1 − m)·running + m·batch, with the unbiased variance', () => {
    const layer = new BatchNorm(2); // momentum 0.1
    const x = Tensor.fromArray([
      [1, 2],
      [3, 6],
    ]);
    layer.forward(x, { training: true });
    // Unbiased variances: 1·2/1 = 2 and 4·2/1 = 8.
    expectClose(layer.runningMean, [0.2, 0.4], 6);
    expectClose(layer.runningVar, [0.9 + 0.2, 0.9 + 0.8], 6);
    layer.forward(x, { training: true });
    expectClose(layer.runningMean, [0.9 * 0.2 + 0.2, 0.9 * 0.4 + 0.4], 6);
    expectClose(layer.runningVar, [0.9 * 1.1 + 0.2, 0.9 * 1.7 + 0.8], 6);
  });

  it('pools batch, height and width per channel of a [batch, channels, H, W] batch', () => {
    // Channel 0: 0…3 and 4…7 (mean 3.5, biased variance 5.25, unbiased 6); channel 1: constant 9.
    const x = new Tensor(Float32Array.from([0, 1, 2, 3, 9, 9, 9, 9, 4, 5, 6, 7, 9, 9, 9, 9]), [2, 2, 2, 2]);
    const layer = new BatchNorm(2, { momentum: 1 });
    const y = layer.forward(x, { training: true });
    expect(values(layer.runningMean)).toEqual([3.5, 9]);
    expectClose(layer.runningVar, [6, 0], 5);
    expect(y.data[0]).toBeCloseTo(-3.5 / Math.sqrt(5.25 + 1e-5), 5);
    expect(y.data[4]).toBe(0); // a constant channel normalises to β
  });

  it('uses the running statistics in inference mode, example by example, and leaves them unchanged', () => {
    const layer = new BatchNorm(2);
    layer.runningMean.data.set([1, -2]);
    layer.runningVar.data.set([4, 0.25]);
    layer.weight.value.data.set([3, 1]);
    layer.bias.value.data.set([0.5, 0]);
    const y = layer.forward(Tensor.fromArray([[3, -1]]));
    expect(y.data[0]).toBeCloseTo(3 * (2 / Math.sqrt(4 + 1e-5)) + 0.5, 5);
    expect(y.data[1]).toBeCloseTo(1 / Math.sqrt(0.25 + 1e-5), 5);
    expect(values(layer.runningMean)).toEqual([1, -2]);
    expect(values(layer.runningVar)).toEqual([4, 0.25]);
  });

  it('rejects a wrong channel count or rank, a single value per channel while training, and bad options', () => {
    const layer = new BatchNorm(3);
    expect(() => layer.forward(Tensor.zeros([2, 4]))).toThrow(ShapeError);
    expect(() => layer.forward(Tensor.zeros([2, 3, 4]))).toThrow(ShapeError);
    expect(() => layer.forward(Tensor.zeros([1, 3]), { training: true })).toThrow(/more than one value/);
    expect(() => layer.backward(Tensor.zeros([2, 3]))).toThrow(LayerStateError);
    expect(() => new BatchNorm(0)).toThrow(RangeError);
    expect(() => new BatchNorm(3, { momentum: 1.5 })).toThrow(RangeError);
    expect(() => new BatchNorm(3, { epsilon: 0 })).toThrow(RangeError);
    expect(() => BatchNorm.fromConfig({ features: 3, momentum: 0.1, epsilon: -1 })).toThrow(/epsilon/);
  });
});

describe('BatchNorm backward in training mode', () => {
  // The check's loss Σ y ⊙ r depends on the batch statistics, so this exercises the full training-mode formula
  // dx = (γ/σ)·(dy − mean(dy) − x̂·mean(dy·x̂)). Momentum 0 keeps the running statistics fixed across the many forward
  // passes; they do not enter a training forward anyway.
  for (const shape of [
    [6, 4],
    [3, 2, 3, 2],
  ]) {
    it(`matches finite differences on [${shape}]`, () => {
      const layer = new BatchNorm(shape[1], { momentum: 0 });
      const rng = new Random(7);
      layer.weight.value.data.set(randomNormal([shape[1]], rng, 1, 0.5).data);
      layer.bias.value.data.set(randomNormal([shape[1]], rng).data);
      const report = gradientCheck(layer, randomNormal(shape, rng), { context: training, samples: 100 });
      expect(report.checked).toBeGreaterThan(20);
      expect(report.mismatches).toEqual([]);
    });
  }

  it('differs from the inference-mode gradient, which treats the statistics as constants', () => {
    const x = randomNormal([5, 3], new Random(2));
    const dy = randomNormal([5, 3], new Random(3));
    const layer = new BatchNorm(3);
    layer.forward(x, { training: true });
    const trainingDx = layer.backward(dy).clone();
    // Σ over the batch of the training-mode dx is zero per feature: shifting every example moves nothing.
    for (let j = 0; j < 3; j++) {
      let sum = 0;
      for (let i = 0; i < 5; i++) sum += trainingDx.data[i * 3 + j];
      expect(sum).toBeCloseTo(0, 5);
    }
    layer.forward(x);
    expect(layer.backward(dy).equals(trainingDx)).toBe(false);
  });

  it('accumulates dγ = Σ dy·x̂ and dβ = Σ dy', () => {
    const layer = new BatchNorm(2);
    layer.forward(
      Tensor.fromArray([
        [1, 2],
        [3, 6],
      ]),
      { training: true },
    );
    layer.backward(
      Tensor.fromArray([
        [1, 2],
        [3, 0],
      ]),
    );
    const s = 1 / Math.sqrt(1 + 1e-5); // x̂ of feature 0 is ∓s; of feature 1, ∓2/√(4 + ε) ≈ ∓1
    expectClose(layer.weight.grad, [2 * s, -2 * (2 / Math.sqrt(4 + 1e-5))], 5);
    expect(values(layer.bias.grad)).toEqual([4, 2]);
  });
});

describe('BatchNorm in a Sequential', () => {
  it('exposes its running statistics as state with qualified names, not as parameters', () => {
    const model = new Sequential([new Dense(3, 4), new Sequential([new BatchNorm(4)]), new ReLU()]);
    expect(model.state().map((s) => s.name)).toEqual(['1.0.runningMean', '1.0.runningVar']);
    expect(model.params().map((p) => p.name)).toEqual(['0.weight', '0.bias', '1.0.weight', '1.0.bias']);
  });

  it('save → load restores the running statistics and predicts identically in inference mode', () => {
    const rng = new Random(5);
    const model = new Sequential([new Dense(4, 6), new BatchNorm(6), new ReLU(), new Dense(6, 3), new Softmax()], {
      seed: 3,
    });
    for (let i = 0; i < 3; i++) model.forward(randomNormal([8, 4], rng, 1, 2), { training: true });
    const file = model.save();
    expect(Object.keys(file.state ?? {})).toEqual(['1.runningMean', '1.runningVar']);
    const text = JSON.stringify(file);
    const loaded = loadModel(text);
    expect(JSON.stringify(loaded.save())).toBe(text);
    const bn = loaded.layers[1] as BatchNorm;
    expect(bn.runningMean.equals((model.layers[1] as BatchNorm).runningMean)).toBe(true);
    expect(bn.runningVar.equals((model.layers[1] as BatchNorm).runningVar)).toBe(true);
    expect(values(bn.runningVar).some((v) => v !== 1)).toBe(true);
    const x = randomNormal([5, 4], rng);
    expect(loaded.predict(x).equals(model.predict(x))).toBe(true);
  });

  it('writes no state section for a model without state, and loads files that have none', () => {
    const model = new Sequential([new Dense(2, 2)]);
    const file = model.save();
    expect('state' in file).toBe(false);
    expect(() => loadModel(file)).not.toThrow();
  });

  it('rejects missing, unknown, misshapen and non-finite state entries', () => {
    const text = JSON.stringify(new Sequential([new Dense(2, 3), new BatchNorm(3)]).save());
    const reject = (edit: (f: ModelFileJson) => void, path: string, message: RegExp) => {
      const f = JSON.parse(text);
      edit(f);
      let error: unknown;
      try {
        loadModel(f);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ModelFormatError);
      expect((error as ModelFormatError).path).toBe(path);
      expect((error as Error).message).toMatch(message);
    };
    reject(
      (f) => delete (f as Partial<ModelFileJson>).state,
      '$.state',
      /missing the values of state tensor '1.runningMean'/,
    );
    reject((f) => delete f.state['1.runningVar'], '$.state', /'1.runningVar'/);
    reject(
      (f) => {
        f.state['1.runningStd'] = f.state['1.runningVar'];
      },
      '$.state["1.runningStd"]',
      /no state tensor of this name; its state tensors are 1.runningMean, 1.runningVar/,
    );
    reject(
      (f) => {
        f.state['1.runningVar'].shape = [4];
      },
      '$.state["1.runningVar"].data',
      /base64 characters/,
    );
    reject(
      (f) => {
        f.state['1.runningVar'] = { ...f.weights['0.bias'], shape: [1, 3] };
      },
      '$.state["1.runningVar"].shape',
      /expected \[3\]/,
    );
    reject(
      (f) => {
        // float32 NaN, little-endian: 00 00 c0 7f, three times.
        f.state['1.runningMean'].data = Buffer.from(new Float32Array([Number.NaN, 0, 0]).buffer).toString('base64');
      },
      '$.state["1.runningMean"].data',
      /finite/,
    );
    reject((f) => ((f as { state: unknown }).state = []), '$.state', /expected an object/);
  });

  it('trains on a small seeded problem: the loss falls, the running statistics move, the optimizer leaves them', () => {
    const rng = new Random(11);
    // Two classes separated along a direction, at an offset and scale that normalisation has to undo.
    const n = 64;
    const x = randomNormal([n, 4], rng, 5, 3);
    const labels = new Uint8Array(n);
    for (let i = 0; i < n; i++) labels[i] = x.data[i * 4] + x.data[i * 4 + 1] > 10 ? 1 : 0;
    const model = new Sequential([new Dense(4, 8), new BatchNorm(8), new ReLU(), new Dense(8, 2), new Softmax()], {
      seed: 1,
    });
    const loss = new CrossEntropy();
    const optimizer = new SGD({ learningRate: 0.1 });
    const bn = model.layers[1] as BatchNorm;
    const first = trainStep(model, loss, optimizer, x, labels).loss;
    let last = first;
    for (let step = 0; step < 150; step++) last = trainStep(model, loss, optimizer, x, labels).loss;
    expect(last).toBeLessThan(first * 0.5);
    expect(values(bn.runningMean).some((v) => Math.abs(v) > 0.1)).toBe(true);
    // After many steps on one batch, the running mean converges to that batch's mean of the Dense output.
    const hidden = model.layers[0].forward(x);
    for (let j = 0; j < 8; j++) {
      let mean = 0;
      for (let i = 0; i < n; i++) mean += hidden.data[i * 8 + j] / n;
      expect(bn.runningMean.data[j]).toBeCloseTo(mean, 1);
    }
    expect(model.compile({ loss, optimizer }).evaluate(x, labels).accuracy).toBeGreaterThan(0.9);
  });
});
