import { allClose, oneHot, Random, randomNormal, randomUniform, ShapeError, Tensor } from '@mnist/tensor';
import { describe, expect, it } from 'vitest';
import { LayerStateError } from '../layer.js';
import { Softmax } from '../layers/softmax.js';
import { CrossEntropy } from './cross-entropy.js';
import type { Targets } from './loss.js';

/** Central differences of `f` at `x`, one coordinate at a time, with `f` evaluated on float32 tensors. */
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

const labels = [2, 0, 1, 1, 0];
const targetKinds: [string, Targets][] = [
  ['Uint8Array labels', Uint8Array.from(labels)],
  ['Int32Array labels', Int32Array.from(labels)],
  ['one-hot rows', oneHot(labels, 3)],
];

describe('CrossEntropy values by hand', () => {
  it('is ln 2 for [[0.5, 0.5]] with label 0', () => {
    expect(new CrossEntropy().forward(Tensor.fromArray([[0.5, 0.5]]), new Uint8Array([0]))).toBeCloseTo(Math.LN2, 6);
  });

  it('is the mean of −ln p[label] over the rows, for every kind of target', () => {
    const p = Tensor.fromArray([
      [0.25, 0.75],
      [0.5, 0.5],
      [0.9, 0.1],
    ]);
    const expected = -(Math.log(0.75) + Math.log(0.5) + Math.log(0.1)) / 3;
    for (const t of [new Uint8Array([1, 0, 1]), new Int32Array([1, 0, 1]), oneHot([1, 0, 1], 2)]) {
      expect(new CrossEntropy().forward(p, t)).toBeCloseTo(expected, 6);
    }
  });

  it('weights each class by a soft target', () => {
    // −(0.5·ln 0.25 + 0.5·ln 0.75)
    const value = new CrossEntropy().forward(Tensor.fromArray([[0.25, 0.75]]), Tensor.fromArray([[0.5, 0.5]]));
    expect(value).toBeCloseTo(-(0.5 * Math.log(0.25) + 0.5 * Math.log(0.75)), 6);
  });

  it('clamps a zero probability at 1e-30, so a confident mistake costs about 69', () => {
    const value = new CrossEntropy().forward(Tensor.fromArray([[1, 0]]), new Uint8Array([1]));
    expect(value).toBeCloseTo(-Math.log(1e-30), 4);
  });
});

describe('CrossEntropy gradients', () => {
  it('backward is −t/(n·p), by hand', () => {
    const loss = new CrossEntropy();
    loss.forward(
      Tensor.fromArray([
        [0.25, 0.75],
        [0.5, 0.5],
      ]),
      new Uint8Array([1, 0]),
    );
    // n = 2: row 0 → [0, −1/(2·0.75)], row 1 → [−1/(2·0.5), 0]
    const grad = loss.backward();
    expect(grad.data[0]).toBeCloseTo(0, 9);
    expect(grad.data[1]).toBeCloseTo(-2 / 3, 6);
    expect(grad.data[2]).toBeCloseTo(-1, 6);
    expect(grad.data[3]).toBeCloseTo(0, 9);
  });

  for (const [kind, targets] of targetKinds) {
    it(`backward matches finite differences (${kind})`, () => {
      // Probabilities away from 0, so −ln p is smooth over the finite-difference step.
      const p = randomUniform([5, 3], new Random(3), 0.2, 1);
      const loss = new CrossEntropy();
      loss.forward(p, targets);
      const analytic = loss.backward().clone();
      const numeric = numericGradient((q) => new CrossEntropy().forward(q, targets), p);
      expect(allClose(analytic, numeric, { rtol: 1e-2, atol: 1e-3 })).toBe(true);
      expect(analytic.data.some((v) => v !== 0)).toBe(true);
    });

    it(`backwardThroughSoftmax equals Softmax.backward(backward()) and the finite difference of CE(softmax(z)) (${kind})`, () => {
      const logits = randomNormal([5, 3], new Random(4));
      const softmax = new Softmax();
      const loss = new CrossEntropy();
      loss.forward(softmax.forward(logits), targets);
      const fused = loss.backwardThroughSoftmax().clone();
      const composed = softmax.backward(loss.backward()).clone();
      expect(allClose(fused, composed, { rtol: 1e-4, atol: 1e-6 })).toBe(true);
      const numeric = numericGradient((z) => new CrossEntropy().forward(new Softmax().forward(z), targets), logits);
      expect(allClose(fused, numeric, { rtol: 1e-2, atol: 1e-3 })).toBe(true);
    });
  }

  it('backwardThroughSoftmax is (p − t)/n, by hand', () => {
    const loss = new CrossEntropy();
    loss.forward(
      Tensor.fromArray([
        [0.25, 0.75],
        [0.5, 0.5],
      ]),
      new Uint8Array([1, 0]),
    );
    expect(loss.backwardThroughSoftmax().toArray()).toEqual([
      [0.125, -0.125],
      [-0.25, 0.25],
    ]);
  });

  it('backwardThroughSoftmax stays finite where a probability underflowed to 0', () => {
    const softmax = new Softmax();
    const loss = new CrossEntropy();
    loss.forward(softmax.forward(Tensor.fromArray([[0, 200]])), new Uint8Array([0]));
    const grad = loss.backwardThroughSoftmax();
    expect(Array.from(grad.data)).toEqual([-1, 1]);
  });
});

describe('CrossEntropy errors', () => {
  it('rejects predictions that are not [batch, classes]', () => {
    expect(() => new CrossEntropy().forward(Tensor.zeros([4]), new Uint8Array(4))).toThrow(ShapeError);
  });

  it('rejects a label count unlike the row count, naming both', () => {
    expect(() => new CrossEntropy().forward(Tensor.zeros([3, 2]), new Uint8Array(2))).toThrow(
      'CrossEntropy: expected 3 labels, one per row, found 2',
    );
  });

  it('rejects target tensors of another shape, naming both shapes', () => {
    expect(() => new CrossEntropy().forward(Tensor.zeros([3, 2]), Tensor.zeros([3, 3]))).toThrow(
      "CrossEntropy: targets must have the prediction's shape [3, 2], found [3, 3]",
    );
  });

  it('rejects a label outside the classes', () => {
    expect(() => new CrossEntropy().forward(Tensor.full([1, 2], 0.5), new Uint8Array([2]))).toThrow(RangeError);
  });

  it('throws LayerStateError for backward before forward', () => {
    expect(() => new CrossEntropy().backward()).toThrow(LayerStateError);
    expect(() => new CrossEntropy().backwardThroughSoftmax()).toThrow(LayerStateError);
  });
});
