import type { Tensor } from '@mnist/tensor';
import { describe, expect, it } from 'vitest';
import { createParam, type Param } from '../param.js';
import { stepDecay } from '../schedules/schedule.js';
import { SGD } from './sgd.js';

function param(name: string, value: number[], grad: number[]): Param {
  const p = createParam(name, [value.length]);
  p.value.data.set(value);
  p.grad.data.set(grad);
  return p;
}

describe('SGD', () => {
  it('steps θ ← θ − α·g, by hand', () => {
    const p = param('w', [1, 2, -3], [0.5, -1, 0]);
    const optimizer = new SGD({ learningRate: 0.1 });
    optimizer.step([p]);
    // [1 − 0.05, 2 + 0.1, −3 − 0]
    expect(Array.from(p.value.data)).toEqual([Math.fround(0.95), Math.fround(2.1), -3]);
    expect(optimizer.iterations).toBe(1);
    expect(Array.from(p.grad.data)).toEqual([0.5, -1, 0]); // the gradient is left for the caller to zero
  });

  it('defaults to a learning rate of 0.01 and keeps no state', () => {
    const optimizer = new SGD();
    expect(optimizer.currentLearningRate()).toBe(0.01);
    const p = param('w', [1], [1]);
    optimizer.step([p]);
    expect(p.value.data[0]).toBe(Math.fround(0.99));
    expect(optimizer.state()).toEqual({ type: 'SGD', iterations: 1, slots: { w: {} } });
    expect(optimizer.config()).toEqual({ learningRate: 0.01 });
  });

  it('follows a schedule: currentLearningRate changes with the step count and the steps use it', () => {
    const optimizer = new SGD({ learningRate: stepDecay(0.1, 0.5, 2) });
    const p = param('w', [1], [1]);
    const rates: number[] = [];
    const values: number[] = [];
    for (let t = 0; t < 5; t++) {
      rates.push(optimizer.currentLearningRate());
      optimizer.step([p]);
      values.push(p.value.data[0]);
    }
    expect(rates).toEqual([0.1, 0.1, 0.05, 0.05, 0.025]);
    // 1 − 0.1 − 0.1 − 0.05 − 0.05 − 0.025, each rounded to float32
    const expected = [0.9, 0.8, 0.75, 0.7, 0.675];
    values.forEach((v, i) => {
      expect(v).toBeCloseTo(expected[i], 6);
    });
    expect(optimizer.config()).toEqual({ learningRate: 0.025 }); // the rate of the next step, t = 5
  });

  it('rejects a schedule that yields an invalid rate when it is used, naming the step', () => {
    const optimizer = new SGD({ learningRate: (t) => (t < 1 ? 0.1 : -1) });
    const w = param('w', [1], [1]);
    optimizer.step([w]);
    expect(() => optimizer.step([w])).toThrow('SGD: the learning rate must be a finite number ≥ 0, found -1 at step 1');
  });

  it('rejects invalid learning rates with clear messages', () => {
    for (const rate of [-0.1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => new SGD({ learningRate: rate })).toThrow(RangeError);
      expect(() => new SGD({ learningRate: rate })).toThrow(`learning rate must be a finite number ≥ 0, found ${rate}`);
    }
    expect(() => new SGD({ learningRate: '0.1' as unknown as number })).toThrow(
      new TypeError('SGD: learningRate must be a number or a schedule function'),
    );
  });

  it('fromConfig rebuilds the optimizer', () => {
    const optimizer = SGD.fromConfig({ learningRate: 0.3 });
    expect(optimizer.currentLearningRate()).toBe(0.3);
    expect(() => SGD.fromConfig({ learningRate: 'fast' })).toThrow(/'learningRate' must be a finite number/);
  });

  it('updates tensors in place, never replacing them', () => {
    const p = param('w', [1, 1], [1, 1]);
    const value: Tensor = p.value;
    new SGD({ learningRate: 0.5 }).step([p]);
    expect(p.value).toBe(value);
  });
});
