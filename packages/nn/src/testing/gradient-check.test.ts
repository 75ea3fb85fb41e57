import { Random, randomNormal, scale, type Tensor } from '@mnist/tensor';
import { describe, expect, it } from 'vitest';
import { Dense, ReLU, Sequential, Softmax } from '../index.js';
import { gradientCheck } from './index.js';

const input = () => randomNormal([4, 5], new Random(9));

describe('gradientCheck', () => {
  it('passes a correct Dense layer, checking the input and every parameter', () => {
    const report = gradientCheck(new Dense(5, 3, { seed: 1 }), input());
    expect(report.mismatches).toEqual([]);
    // 20 input values, 15 weights and 3 biases: all fewer than the 40 samples, so all are checked.
    expect(report.checked).toBe(20 + 15 + 3);
  });

  it('samples at most `samples` coordinates per tensor', () => {
    const report = gradientCheck(new Dense(5, 3, { seed: 1 }), input(), { samples: 4 });
    expect(report.checked).toBe(4 + 4 + 3);
  });

  it('catches a layer whose backward returns twice the right dx', () => {
    class DoubleDx extends Dense {
      override backward(dy: Tensor): Tensor {
        return scale(super.backward(dy), 2);
      }
    }
    const report = gradientCheck(new DoubleDx(5, 3, { seed: 1 }), input());
    expect(report.mismatches.length).toBe(20);
    expect(new Set(report.mismatches.map((m) => m.tensor))).toEqual(new Set(['input']));
    for (const m of report.mismatches) expect(m.analytic).toBeCloseTo(2 * m.numeric, 2);
  });

  it('catches a layer that forgets the bias gradient', () => {
    class NoBiasGrad extends Dense {
      override backward(dy: Tensor): Tensor {
        const bias = this.bias?.grad.clone();
        const dx = super.backward(dy);
        if (bias) this.bias?.grad.data.set(bias.data);
        return dx;
      }
    }
    const report = gradientCheck(new NoBiasGrad(5, 3, { seed: 1 }), input());
    expect(report.mismatches.map((m) => m.tensor)).toEqual(['bias', 'bias', 'bias']);
    for (const m of report.mismatches) expect(m.analytic).toBe(0);
  });

  it('catches a wrong weight gradient inside a Sequential', () => {
    class HalfWeightGrad extends Dense {
      override backward(dy: Tensor): Tensor {
        const before = this.weight.grad.clone();
        const dx = super.backward(dy);
        for (let i = 0; i < before.size; i++) {
          const added = this.weight.grad.data[i] - before.data[i];
          this.weight.grad.data[i] = before.data[i] + added / 2;
        }
        return dx;
      }
    }
    const model = new Sequential([new Dense(5, 6), new ReLU(), new HalfWeightGrad(6, 3), new Softmax()], { seed: 2 });
    const report = gradientCheck(model, input());
    expect(report.mismatches.length).toBeGreaterThan(0);
    expect(new Set(report.mismatches.map((m) => m.tensor))).toEqual(new Set(['2.weight']));
  });

  it('leaves the parameters as it found them', () => {
    const layer = new Dense(5, 3, { seed: 1 });
    const before = layer.weight.value.clone();
    gradientCheck(layer, input());
    expect(layer.weight.value.equals(before)).toBe(true);
  });
});
