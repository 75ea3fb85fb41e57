import { Random, randomNormal, randomUniform, Tensor } from '@mnist/tensor';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../config-error.js';
import { LayerStateError } from '../layer.js';
import { Momentum } from '../optimizers/momentum.js';
import { Sequential } from '../sequential.js';
import { gradientCheck } from '../testing/gradient-check.js';
import { Dense } from './dense.js';
import { Dropout } from './dropout.js';
import { ReLU } from './relu.js';
import { Softmax } from './softmax.js';

const training = (seed: number) => ({ training: true, rng: new Random(seed) });
/** Inputs away from zero, so a zero in the output always means a dropped entry. */
const input = (shape: number[]) => randomUniform(shape, new Random(9), 0.5, 1.5);

describe('Dropout while training', () => {
  it('draws the same mask from the same seed and another from another seed', () => {
    const x = input([8, 16]);
    const a = new Dropout(0.5).forward(x, training(1)).clone();
    expect(new Dropout(0.5).forward(x, training(1)).equals(a)).toBe(true);
    expect(new Dropout(0.5).forward(x, training(2)).equals(a)).toBe(false);
    // Consecutive steps draw fresh masks from the advancing generator.
    const layer = new Dropout(0.5);
    const rng = new Random(1);
    const first = layer.forward(x, { training: true, rng }).clone();
    expect(layer.forward(x, { training: true, rng }).equals(first)).toBe(false);
  });

  it('keeps about 1 − p of the entries, scaled by 1/(1 − p)', () => {
    const p = 0.3;
    const x = input([100, 100]);
    const y = new Dropout(p).forward(x, training(3));
    const scale = Math.fround(1 / (1 - p));
    let kept = 0;
    for (let i = 0; i < y.size; i++) {
      if (y.data[i] === 0) continue;
      kept++;
      expect(y.data[i]).toBe(Math.fround(x.data[i] * scale));
    }
    // 7,000 expected of 10,000; the binomial's standard deviation is 46, so ±200 is over 4 of them.
    expect(Math.abs(kept - 7000)).toBeLessThan(200);
  });

  it('back-propagates through the same mask', () => {
    const layer = new Dropout(0.5);
    const x = input([6, 10]);
    const y = layer.forward(x, training(4)).clone();
    const dy = randomNormal([6, 10], new Random(5));
    const dx = layer.backward(dy);
    for (let i = 0; i < y.size; i++) {
      // A dropped entry is dy·0, which is −0 for a negative dy.
      expect(dx.data[i]).toBe(y.data[i] === 0 ? 0 * dy.data[i] : Math.fround(dy.data[i] * 2));
    }
    // As a function of x for a fixed mask, the gradient is exact.
    const report = gradientCheck(new Dropout(0.5), x, { context: () => training(4) });
    expect(report.mismatches).toEqual([]);
  });

  it('throws a TypeError that explains the fix when training without a generator', () => {
    expect(() => new Dropout(0.5).forward(input([2, 2]), { training: true })).toThrow(TypeError);
    expect(() => new Dropout(0.5).forward(input([2, 2]), { training: true })).toThrow(
      /training needs ctx\.rng, the seeded generator to draw the mask from, found none/,
    );
  });

  it('with rate 0 is the identity even while training', () => {
    const x = input([2, 3]);
    expect(new Dropout(0).forward(x, { training: true })).toBe(x);
  });
});

describe('Dropout at inference', () => {
  it('returns its input and passes the gradient through, with or without a context', () => {
    const layer = new Dropout(0.5);
    const x = input([3, 4]);
    expect(layer.forward(x)).toBe(x);
    expect(layer.forward(x, { training: false, rng: new Random(1) })).toBe(x);
    const dy = randomNormal([3, 4], new Random(2));
    expect(layer.backward(dy)).toBe(dy);
  });

  it('after a training step, inference forgets the mask', () => {
    const layer = new Dropout(0.5);
    const x = input([3, 4]);
    layer.forward(x, training(1));
    layer.forward(x);
    const dy = Tensor.ones([3, 4]);
    expect(layer.backward(dy)).toBe(dy);
  });
});

describe('Dropout in a model', () => {
  const x = randomNormal([32, 6], new Random(1));
  const labels = Uint8Array.from({ length: 32 }, (_, i) => i % 3);
  const train = async (seed: number) => {
    const model = new Sequential([new Dense(6, 16), new ReLU(), new Dropout(0.5), new Dense(16, 3), new Softmax()], {
      seed,
    }).compile({ loss: 'categoricalCrossEntropy', optimizer: new Momentum({ learningRate: 0.1 }) });
    await model.fit(x, labels, { epochs: 3, batchSize: 8 });
    return model.params().map((p) => p.value.clone());
  };

  it('trains bit-identically twice from the same seed, and differently from another', async () => {
    const a = await train(7);
    const b = await train(7);
    a.forEach((value, i) => {
      expect(b[i].equals(value)).toBe(true);
    });
    const c = await train(8);
    expect(c[0].equals(a[0])).toBe(false);
  });

  it('predicts deterministically: evaluate and predict run in inference mode', () => {
    const model = new Sequential([new Dense(6, 4), new Dropout(0.9), new Dense(4, 2)], { seed: 1 });
    expect(model.predict(x).equals(model.predict(x))).toBe(true);
  });
});

describe('Dropout configuration', () => {
  it('saves its rate, rebuilds from it and rejects a rate outside [0, 1)', () => {
    expect(new Dropout().rate).toBe(0.5);
    expect(new Dropout(0.2).config()).toEqual({ rate: 0.2 });
    expect(Dropout.fromConfig({ rate: 0.2 }).rate).toBe(0.2);
    expect(() => Dropout.fromConfig({})).toThrow(ConfigError);
    for (const rate of [1, -0.1, Number.NaN]) {
      expect(() => new Dropout(rate)).toThrow(new RangeError(`Dropout: rate must be in [0, 1), found ${rate}`));
    }
    expect(new Dropout().params()).toEqual([]);
    expect(new Dropout().outputShape([-1, 3, 4])).toEqual([-1, 3, 4]);
  });

  it('throws LayerStateError before forward and for a dy of another shape', () => {
    expect(() => new Dropout().backward(Tensor.zeros([2]))).toThrow(LayerStateError);
    const layer = new Dropout();
    layer.forward(Tensor.zeros([2, 3]), training(1));
    expect(() => layer.backward(Tensor.zeros([3, 2]))).toThrow(
      'Dropout: dy has shape [3, 2] but the last input was [2, 3]',
    );
  });
});
