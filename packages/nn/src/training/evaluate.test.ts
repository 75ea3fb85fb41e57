import { oneHot, Random, randomNormal, Tensor } from '@mnist/tensor';
import { describe, expect, it } from 'vitest';
import { Dense, ReLU, Sequential, SGD, Softmax } from '../index.js';

/** Dense(2, 2) with W = I and b = 0, then Softmax: the inputs are the logits. */
function identityModel(): Sequential {
  const dense = new Dense(2, 2);
  dense.weight.value.data.set([1, 0, 0, 1]);
  return new Sequential([dense, new Softmax()]).compile({ loss: 'categoricalCrossEntropy', optimizer: new SGD() });
}

describe('evaluate', () => {
  it('gives the mean loss and the accuracy, by hand', () => {
    // Logits [ln 3, 0] → p = [0.75, 0.25]; [0, 0] → [0.5, 0.5] (argmax 0). Labels [0, 1]: one right, one wrong.
    const x = Tensor.fromArray([
      [Math.log(3), 0],
      [0, 0],
    ]);
    for (const y of [new Uint8Array([0, 1]), new Int32Array([0, 1]), oneHot([0, 1], 2)]) {
      const result = identityModel().evaluate(x, y);
      expect(result.loss).toBeCloseTo(-(Math.log(0.75) + Math.log(0.5)) / 2, 6);
      expect(result.accuracy).toBe(0.5);
    }
  });

  it('over a batch source, gives what it gives over the same examples as tensors', () => {
    const model = new Sequential([new Dense(5, 8), new ReLU(), new Dense(8, 3), new Softmax()], { seed: 2 }).compile({
      loss: 'categoricalCrossEntropy',
      optimizer: new SGD(),
    });
    const x = randomNormal([37, 5], new Random(3));
    const y = Uint8Array.from({ length: 37 }, (_, i) => i % 3);
    const reference = model.evaluate(x, y);
    // Batches of 10, 10, 10 and 7 rows, in a different order from the tensors: the mean does not care.
    const source = {
      *epoch() {
        for (const start of [30, 0, 20, 10]) {
          const end = Math.min(37, start + 10);
          yield { x: Tensor.from(x.data.slice(start * 5, end * 5), [end - start, 5]), y: y.subarray(start, end) };
        }
      },
    };
    const result = model.evaluate(source);
    expect(result.loss).toBeCloseTo(reference.loss, 6);
    expect(result.accuracy).toBe(reference.accuracy);
    expect(() => model.evaluate({ epoch: () => [] })).toThrow('evaluate: the batch source yielded no examples');
    expect(() => model.evaluate({} as never)).toThrow(/BatchSource with an epoch\(\) method/);
  });

  it('rejects tensors without examples, as it rejects an empty batch source, rather than return 0/0', () => {
    const model = identityModel();
    expect(() => model.evaluate(Tensor.zeros([0, 2]), new Uint8Array(0))).toThrow(
      new RangeError('evaluate: x has no examples'),
    );
  });

  it('does not depend on the batch size, beyond rounding', () => {
    const model = new Sequential([new Dense(5, 8), new ReLU(), new Dense(8, 3), new Softmax()], { seed: 2 }).compile({
      loss: 'categoricalCrossEntropy',
      optimizer: new SGD(),
    });
    const x = randomNormal([37, 5], new Random(3));
    const y = Uint8Array.from({ length: 37 }, (_, i) => i % 3);
    const reference = model.evaluate(x, y);
    for (const batchSize of [1, 5, 36, 37, 1000]) {
      const result = model.evaluate(x, y, { batchSize });
      expect(result.loss).toBeCloseTo(reference.loss, 6);
      expect(result.accuracy).toBe(reference.accuracy);
    }
  });

  it('rejects mismatched examples and invalid batch sizes', () => {
    const model = identityModel();
    expect(() => model.evaluate(Tensor.zeros([3, 2]), new Uint8Array(2))).toThrow(
      'evaluate: x has 3 examples but y has 2',
    );
    expect(() => model.evaluate(Tensor.zeros([3, 2]), new Uint8Array(3), { batchSize: 0 })).toThrow(
      new RangeError('evaluate: batchSize must be a positive integer, found 0'),
    );
  });
});

describe('predict', () => {
  const model = new Sequential([new Dense(5, 8), new ReLU(), new Dense(8, 3), new Softmax()], { seed: 2 });
  const x = randomNormal([37, 5], new Random(3));

  it('returns the outputs for every row, without compile', () => {
    const y = model.predict(x);
    expect(y.shape).toEqual([37, 3]);
    expect(y.equals(model.forward(x))).toBe(true);
  });

  it('returns a new tensor each time, not a layer buffer', () => {
    const a = model.predict(x);
    const b = model.predict(x);
    expect(a).not.toBe(b);
    expect(a.data).not.toBe(b.data);
    const before = a.clone();
    b.data.fill(0);
    model.forward(randomNormal([37, 5], new Random(4)));
    expect(a.equals(before)).toBe(true);
  });

  it('gives bit-identical results for every batch size', () => {
    const reference = model.predict(x);
    for (const batchSize of [1, 2, 10, 36, 37, 256])
      expect(model.predict(x, { batchSize }).equals(reference)).toBe(true);
  });

  it('handles no rows', () => {
    expect(model.predict(Tensor.zeros([0, 5])).shape).toEqual([0, 3]);
  });

  it('rejects a non-tensor and an invalid batch size', () => {
    expect(() => model.predict([1, 2] as never)).toThrow(TypeError);
    expect(() => model.predict(x, { batchSize: 1.5 })).toThrow(
      new RangeError('predict: batchSize must be a positive integer, found 1.5'),
    );
  });
});
