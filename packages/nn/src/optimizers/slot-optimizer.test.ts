import { Tensor } from '@mnist/tensor';
import { describe, expect, it } from 'vitest';
import { Dense } from '../layers/dense.js';
import { ReLU } from '../layers/relu.js';
import { createParam, type Param } from '../param.js';
import { Sequential } from '../sequential.js';
import { Adam } from './adam.js';
import { clipGradNorm } from './clip-grad-norm.js';
import { Momentum } from './momentum.js';
import { SGD } from './sgd.js';
import { SharedOptimizerError } from './shared-optimizer-error.js';

function param(name: string, value: number[], grad: number[]): Param {
  const p = createParam(name, [value.length]);
  p.value.data.set(value);
  p.grad.data.set(grad);
  return p;
}

describe('SlotOptimizer gradientClipNorm', () => {
  it('clips the gradients by their global norm before the update, leaving the clipped values in grad', () => {
    // ‖g‖ = √(3² + 4²) = 5 over the two parameters; clipped to norm 1: g = [0.6], [0.8]. θ ← θ − 0.5·g.
    const [a, b] = [param('a', [1], [3]), param('b', [1], [4])];
    new SGD({ learningRate: 0.5, gradientClipNorm: 1 }).step([a, b]);
    expect([a.value.data[0], b.value.data[0]]).toEqual([Math.fround(1 - 0.3), Math.fround(1 - 0.4)]);
    expect([a.grad.data[0], b.grad.data[0]]).toEqual([Math.fround(0.6), Math.fround(0.8)]);
  });

  it('does nothing to gradients within the norm', () => {
    const p = param('w', [1, 1], [0.3, 0.4]);
    new SGD({ learningRate: 1, gradientClipNorm: 0.5 }).step([p]);
    expect(Array.from(p.value.data)).toEqual([Math.fround(0.7), Math.fround(0.6)]);
  });

  it('is clipGradNorm followed by the unclipped update, bit for bit', () => {
    const make = () => [param('a', [1, -1], [2, -3]), param('b', [0.5], [6])];
    const clipped = make();
    const byHand = make();
    const withOption = new Adam({ learningRate: 0.1, gradientClipNorm: 2 });
    const without = new Adam({ learningRate: 0.1 });
    for (let t = 0; t < 3; t++) {
      withOption.step(clipped);
      clipGradNorm(byHand, 2);
      without.step(byHand);
      const fresh = make();
      for (const ps of [clipped, byHand]) {
        ps.forEach((p, i) => {
          p.grad.data.set(fresh[i].grad.data);
        });
      }
    }
    clipped.forEach((p, i) => {
      expect(p.value.equals(byHand[i].value)).toBe(true);
    });
  });

  it('is saved in the config only when set, and old configs without it load unclipped', () => {
    expect(new SGD().config()).toEqual({ learningRate: 0.01 });
    const clipped = new Momentum({ gradientClipNorm: 1.5 });
    expect(clipped.config()).toEqual({
      learningRate: 0.1,
      momentum: 0.9,
      form: 'average',
      nesterov: false,
      gradientClipNorm: 1.5,
    });
    expect(Momentum.fromConfig(clipped.config()).gradientClipNorm).toBe(1.5);
    expect(SGD.fromConfig({ learningRate: 0.1 }).gradientClipNorm).toBeUndefined();
    expect(() => SGD.fromConfig({ learningRate: 0.1, gradientClipNorm: 'big' })).toThrow(
      `SGD config: 'gradientClipNorm' must be a finite number, found "big"`,
    );
    expect(() => SGD.fromConfig({ learningRate: 0.1, gradientClipNorm: -1 })).toThrow(
      new RangeError('SGD: gradientClipNorm must be a finite number > 0, found -1'),
    );
  });
});

describe('SlotOptimizer per-parameter state', () => {
  /** A model whose every gradient is 1, ready for `optimizer.step(model.params())`. */
  function model(seed: number): Sequential {
    const m = new Sequential([new Dense(3, 2)], { seed });
    for (const p of m.params()) p.grad.fill(1);
    return m;
  }

  it('refuses to step a second model’s parameters, naming the parameter, and leaves them unchanged', () => {
    const optimizer = new Momentum({ learningRate: 0.1 });
    const [a, b] = [model(1), model(2)];
    optimizer.step(a.params());
    const before = b.params().map((p) => p.value.clone());
    let error: unknown;
    try {
      optimizer.step(b.params());
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SharedOptimizerError);
    expect((error as Error).message).toBe(
      "Momentum: this optimizer already updates another tensor named '0.weight'; it keeps its per-parameter state " +
        'by name and one step count, so give each model its own optimizer',
    );
    b.params().forEach((p, i) => {
      expect(p.value.equals(before[i])).toBe(true);
    });
    expect(optimizer.iterations).toBe(1);
    // The first model still trains.
    optimizer.step(a.params());
    expect(optimizer.iterations).toBe(2);
  });

  it('follows the weight tensors, not the Param objects: a layer added after training keeps the velocities', () => {
    const [trained, reference] = [model(1), model(1)];
    const [optimizer, expected] = [new Momentum({ learningRate: 0.1 }), new Momentum({ learningRate: 0.1 })];
    optimizer.step(trained.params());
    expected.step(reference.params());
    const objects = trained.params();
    trained.add(new ReLU()); // params() now hands out new Param objects for the same tensors
    expect(trained.params()[0]).not.toBe(objects[0]);
    optimizer.step(trained.params());
    expected.step(reference.params());
    trained.params().forEach((p, i) => {
      expect(p.value.equals(reference.params()[i].value)).toBe(true);
    });
    expect(Object.keys(optimizer.state().slots)).toEqual(['0.weight', '0.bias']);
  });

  it('loadState binds the optimizer to the parameters it is given', () => {
    const optimizer = new Momentum({ learningRate: 0.1 });
    const [a, b] = [model(1), model(2)];
    optimizer.step(a.params());
    const state = optimizer.state();
    optimizer.loadState(state, b.params());
    optimizer.step(b.params());
    expect(() => optimizer.step(a.params())).toThrow(SharedOptimizerError);
    expect(new Tensor(state.slots['0.weight'].velocity, [3, 2]).size).toBe(6);
  });
});

describe('SlotOptimizer loadState', () => {
  const p = () => param('w', [1, 2], [0.5, -0.5]);
  const state = (v: number[]) => ({
    type: 'Adam',
    iterations: 3,
    slots: { w: { m: new Float32Array(2), v: Float32Array.from(v) } },
  });

  it('refuses a negative second moment, which would make every later step NaN, and changes nothing', () => {
    const adam = new Adam({ learningRate: 0.1 });
    const w = p();
    expect(() => adam.loadState(state([1, -0.25]), [w])).toThrow(
      "Adam.loadState: slot 'v' of 'w' must hold finite values ≥ 0, found -0.25 at 1",
    );
    expect(adam.iterations).toBe(0);
    adam.step([w]);
    expect(Array.from(w.value.data).every(Number.isFinite)).toBe(true);
  });

  it('refuses a value that is not finite in any slot', () => {
    const bad = state([0, 0]);
    bad.slots.w.m[0] = Number.NaN;
    expect(() => new Adam().loadState(bad, [p()])).toThrow("slot 'm' of 'w' must hold finite values, found NaN at 0");
  });

  it('loads a valid state', () => {
    const adam = new Adam();
    adam.loadState(state([0.25, 0]), [p()]);
    expect(adam.iterations).toBe(3);
    expect(Array.from(adam.state().slots.w.v)).toEqual([0.25, 0]);
  });
});
