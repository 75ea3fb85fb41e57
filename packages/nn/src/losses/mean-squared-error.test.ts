import { allClose, oneHot, Random, randomNormal, Tensor } from '@mnist/tensor';
import { describe, expect, it } from 'vitest';
import { LayerStateError } from '../layer.js';
import type { Targets } from './loss.js';
import { MeanSquaredError } from './mean-squared-error.js';

function numericGradient(f: (x: Tensor) => number, x: Tensor, epsilon = 1e-3): Tensor {
  const grad = Tensor.zeros(x.shape);
  const probe = x.clone();
  for (let i = 0; i < x.size; i++) {
    const original = probe.data[i];
    probe.data[i] = original + epsilon;
    const plus = f(probe);
    probe.data[i] = original - epsilon;
    const minus = f(probe);
    probe.data[i] = original;
    grad.data[i] = (plus - minus) / (Math.fround(original + epsilon) - Math.fround(original - epsilon));
  }
  return grad;
}

describe('MeanSquaredError', () => {
  it('is the mean of the squared differences over every element, by hand', () => {
    const loss = new MeanSquaredError();
    // Differences [1, 0, −2, 0]: (1 + 0 + 4 + 0)/4 = 1.25.
    const prediction = Tensor.fromArray([
      [1, 2],
      [3, 4],
    ]);
    const targets = Tensor.fromArray([
      [0, 2],
      [5, 4],
    ]);
    expect(loss.forward(prediction, targets)).toBe(1.25);
    // 2·d/(n·d) = d/2
    expect(loss.backward().toArray()).toEqual([
      [0.5, 0],
      [-1, 0],
    ]);
  });

  it('one-hot encodes class indices, by hand', () => {
    const prediction = Tensor.fromArray([
      [0.25, 0.75],
      [0.5, 0.5],
    ]);
    // Targets [[0, 1], [1, 0]]: differences [0.25, −0.25, −0.5, 0.5], squares sum to 0.625, over 4 elements.
    for (const t of [new Uint8Array([1, 0]), new Int32Array([1, 0])]) {
      expect(new MeanSquaredError().forward(prediction, t)).toBe(0.625 / 4);
    }
  });

  const labels = [2, 0, 1, 1];
  for (const [kind, targets] of [
    ['Uint8Array labels', Uint8Array.from(labels)],
    ['Int32Array labels', Int32Array.from(labels)],
    ['one-hot rows', oneHot(labels, 3)],
    ['regression values', randomNormal([4, 3], new Random(8))],
  ] as [string, Targets][]) {
    it(`backward matches finite differences (${kind})`, () => {
      const prediction = randomNormal([4, 3], new Random(7));
      const loss = new MeanSquaredError();
      loss.forward(prediction, targets);
      const analytic = loss.backward().clone();
      const numeric = numericGradient((p) => new MeanSquaredError().forward(p, targets), prediction);
      expect(allClose(analytic, numeric, { rtol: 1e-2, atol: 1e-4 })).toBe(true);
      expect(analytic.data.some((v) => v !== 0)).toBe(true);
    });
  }

  it('rejects mismatched targets and backward before forward', () => {
    expect(() => new MeanSquaredError().forward(Tensor.zeros([2, 2]), new Uint8Array(3))).toThrow(
      'MeanSquaredError: expected 2 labels, one per row, found 3',
    );
    expect(() => new MeanSquaredError().forward(Tensor.zeros([2, 2]), Tensor.zeros([2, 3]))).toThrow(RangeError);
    expect(() => new MeanSquaredError().backward()).toThrow(LayerStateError);
  });
});
