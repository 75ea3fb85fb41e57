import { allClose, Random, randomNormal, type Tensor } from '@mnist/tensor';
import { describe, expect, it } from 'vitest';
import {
  CrossEntropy,
  Dense,
  MeanSquaredError,
  Momentum,
  NonFiniteLossError,
  ReLU,
  Sequential,
  SGD,
  Softmax,
  trainStep,
} from '../index.js';

/** A Softmax that counts its backward calls. */
class CountingSoftmax extends Softmax {
  backwardCalls = 0;
  override backward(dy: Tensor): Tensor {
    this.backwardCalls++;
    return super.backward(dy);
  }
}

/** A softmax that declines the loss's fused gradient, so the step must go through its backward. */
class OpaqueSoftmax extends CountingSoftmax {
  override backwardLoss(): undefined {
    return undefined;
  }
}

/** Not a softmax at all (the identity), though its type string says 'Softmax': nothing may be inferred from it. */
class Impostor extends Softmax {
  protected override forwardInto(x: Tensor, y: Tensor): Tensor {
    y.data.set(x.data);
    return y;
  }
  protected override backwardInto(_x: Tensor, _y: Tensor, dy: Tensor, dx: Tensor): Tensor {
    dx.data.set(dy.data);
    return dx;
  }
  override backwardLoss(): undefined {
    return undefined;
  }
}

const x = randomNormal([32, 4], new Random(1));
const labels = Uint8Array.from({ length: 32 }, (_, i) => (x.data[4 * i] > 0 ? 1 : 0) + (x.data[4 * i + 3] > 0 ? 1 : 0));

describe('trainStep', () => {
  it('in a custom loop lowers the loss', () => {
    const model = new Sequential([new Dense(4, 16), new ReLU(), new Dense(16, 3), new Softmax()], { seed: 1 });
    const loss = new CrossEntropy();
    const optimizer = new Momentum({ learningRate: 0.1 });
    const losses: number[] = [];
    for (let step = 0; step < 100; step++) losses.push(trainStep(model, loss, optimizer, x, labels).loss);
    expect(losses[99]).toBeLessThan(0.3 * losses[0]);
    expect(optimizer.iterations).toBe(100);
  });

  it('returns the loss and prediction from before the update', () => {
    const model = new Sequential([new Dense(4, 3), new Softmax()], { seed: 1 });
    const expected = new CrossEntropy().forward(model.forward(x).clone(), labels);
    const prediction = model.forward(x).clone();
    const result = trainStep(model, new CrossEntropy(), new SGD({ learningRate: 0.5 }), x, labels);
    expect(result.loss).toBe(expected);
    expect(result.prediction.equals(prediction)).toBe(true);
    expect(model.forward(x).equals(prediction)).toBe(false);
  });

  it('zeroes the gradients itself, so they do not pile up across steps', () => {
    const model = new Sequential([new Dense(4, 3), new Softmax()], { seed: 1 });
    const optimizer = new SGD({ learningRate: 0 }); // nothing moves: each step computes the same gradient
    trainStep(model, new CrossEntropy(), optimizer, x, labels);
    const once = model.params().map((p) => p.grad.clone());
    trainStep(model, new CrossEntropy(), optimizer, x, labels);
    model.params().forEach((p, i) => {
      expect(p.grad.equals(once[i])).toBe(true);
    });
  });

  it('uses the fused gradient when the model ends in Softmax and trains with CrossEntropy', () => {
    const softmax = new CountingSoftmax();
    const model = new Sequential([new Dense(4, 3), softmax], { seed: 1 });
    trainStep(model, new CrossEntropy(), new SGD(), x, labels);
    expect(softmax.backwardCalls).toBe(0);
    // A loss without a fused path goes through Softmax.backward: the spy does see calls.
    trainStep(model, new MeanSquaredError(), new SGD(), x, labels);
    expect(softmax.backwardCalls).toBe(1);
  });

  it('takes the fused path only when the last layer says so, never from its type string', () => {
    const impostor = new Impostor();
    expect(impostor.type).toBe('Softmax');
    const model = new Sequential([new Dense(4, 3), impostor], { seed: 1 });
    // The identity under cross-entropy: a gradient through backward (−t/p), not the softmax's (p − t)/n.
    trainStep(model, new CrossEntropy(), new SGD({ learningRate: 0 }), x, labels);
    const loss = new CrossEntropy();
    const p = model.forward(x);
    loss.forward(p, labels);
    const expected = new Sequential([new Dense(4, 3)], { seed: 1 });
    expected.forward(x);
    expected.zeroGrad();
    expected.backward(loss.backward());
    expect(model.params()[0].grad.equals(expected.params()[0].grad)).toBe(true);
  });

  it('reaches the fused gradient through a nested model that ends in Softmax', () => {
    const softmax = new CountingSoftmax();
    const model = new Sequential([new Dense(4, 6), new Sequential([new ReLU(), new Dense(6, 3), softmax])], {
      seed: 3,
    });
    trainStep(model, new CrossEntropy(), new SGD(), x, labels);
    expect(softmax.backwardCalls).toBe(0);
    expect(model.params().every((p) => p.grad.data.some((v) => v !== 0))).toBe(true);
  });

  it('the fused gradient equals the one through Softmax.backward', () => {
    const fused = new Sequential([new Dense(4, 6), new ReLU(), new Dense(6, 3), new CountingSoftmax()], { seed: 2 });
    const opaque = new OpaqueSoftmax();
    const plain = new Sequential([new Dense(4, 6), new ReLU(), new Dense(6, 3), opaque], { seed: 2 });
    const still = () => new SGD({ learningRate: 0 });
    trainStep(fused, new CrossEntropy(), still(), x, labels);
    trainStep(plain, new CrossEntropy(), still(), x, labels);
    expect(opaque.backwardCalls).toBe(1);
    fused.params().forEach((p, i) => {
      expect(p.grad.data.some((v) => v !== 0)).toBe(true);
      expect(allClose(p.grad, plain.params()[i].grad, { rtol: 1e-4, atol: 1e-6 })).toBe(true);
    });
  });

  it('gives a model whose first layer is a nested Sequential the gradients of the flat model', () => {
    const flat = new Sequential(
      [new Dense(4, 8), new ReLU(), new Dense(8, 6), new ReLU(), new Dense(6, 3), new Softmax()],
      { seed: 3 },
    );
    const inner = new Sequential([new Dense(4, 8), new ReLU(), new Dense(8, 6), new ReLU()]);
    const nested = new Sequential([inner, new Dense(6, 3), new Softmax()]);
    for (const [i, p] of flat.params().entries()) nested.params()[i].value.data.set(p.value.data);
    expect(nested.params().map((p) => p.name)).toEqual([
      '0.0.weight',
      '0.0.bias',
      '0.2.weight',
      '0.2.bias',
      '1.weight',
      '1.bias',
    ]);
    const still = () => new SGD({ learningRate: 0 });
    const flatLoss = trainStep(flat, new CrossEntropy(), still(), x, labels).loss;
    expect(trainStep(nested, new CrossEntropy(), still(), x, labels).loss).toBe(flatLoss);
    flat.params().forEach((p, i) => {
      expect(p.grad.data.some((v) => v !== 0)).toBe(true);
      expect(allClose(nested.params()[i].grad, p.grad, { rtol: 1e-5, atol: 1e-7 })).toBe(true);
    });
  });

  it('trains a model whose first layer is a nested Sequential', () => {
    const inner = new Sequential([new Dense(4, 8), new ReLU(), new Dense(8, 6), new ReLU()]);
    const model = new Sequential([inner, new Dense(6, 3), new Softmax()], { seed: 3 });
    const loss = new CrossEntropy();
    const optimizer = new Momentum({ learningRate: 0.1 });
    const first = trainStep(model, loss, optimizer, x, labels).loss;
    let last = first;
    for (let step = 0; step < 50; step++) last = trainStep(model, loss, optimizer, x, labels).loss;
    expect(last).toBeLessThan(0.5 * first);
  });

  it('throws NonFiniteLossError before touching the weights or the optimizer', () => {
    const model = new Sequential([new Dense(4, 3), new Softmax()], { seed: 1 });
    const optimizer = new Momentum();
    const bad = x.clone();
    bad.data[5] = Number.POSITIVE_INFINITY;
    const before = model.params().map((p) => p.value.clone());
    let error: unknown;
    try {
      trainStep(model, new CrossEntropy(), optimizer, bad, labels);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(NonFiniteLossError);
    expect((error as NonFiniteLossError).epoch).toBeUndefined();
    expect((error as NonFiniteLossError).message).toMatch(/^the loss is NaN; training stopped/);
    model.params().forEach((p, i) => {
      expect(p.value.equals(before[i])).toBe(true);
    });
    expect(optimizer.iterations).toBe(0);
    expect(optimizer.state().slots).toEqual({});
  });
});
