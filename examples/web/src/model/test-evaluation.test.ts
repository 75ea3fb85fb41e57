import { ImageDataset } from '@mnist/datasets';
import { Dense, Sequential, Softmax } from '@mnist/nn';
import { describe, expect, it } from 'vitest';
import { evaluateOnTest } from './test-evaluation.js';

describe('evaluateOnTest', () => {
  it('counts a model that always answers 0, worked out by hand', () => {
    // Zero weights and a bias of ln 9 on class 0: softmax gives p(0) = 9 / (9 + 9) = 0.5 and 1/18 to each other class.
    const model = new Sequential([new Dense(784, 10), new Softmax()]);
    model.params()[0].value.data.fill(0);
    model.params()[1].value.data.fill(0);
    model.params()[1].value.data[0] = Math.log(9);
    const labels = Uint8Array.from([0, 1, 2, 0, 3]);
    const images = new Uint8Array(5 * 784).map((_, i) => i % 251);
    const result = evaluateOnTest(model, new ImageDataset({ images, labels, height: 28, width: 28 }), 2);

    expect(result.count).toBe(5);
    expect(result.accuracy).toBeCloseTo(2 / 5, 12);
    // Two right at −ln 0.5, three wrong at −ln(1/18).
    expect(result.loss).toBeCloseTo((2 * Math.log(2) + 3 * Math.log(18)) / 5, 5);
    expect(Array.from(result.confusion.filter((_, i) => i % 10 === 0))).toEqual([2, 1, 1, 1, 0, 0, 0, 0, 0, 0]);
    expect(result.confusion.reduce((a, b) => a + b, 0)).toBe(5);
    // All three mistakes are equally confident: the first two by index, with their pixels.
    expect(result.mistakeCount).toBe(3);
    expect(result.mistakes.map((m) => [m.index, m.label, m.predicted])).toEqual([
      [1, 1, 0],
      [2, 2, 0],
    ]);
    expect(result.mistakes[0].confidence).toBeCloseTo(0.5, 6);
    expect(Array.from(result.mistakeImages.subarray(784, 2 * 784))).toEqual(
      Array.from(images.subarray(2 * 784, 3 * 784)),
    );
  });
});
