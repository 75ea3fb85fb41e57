import { Tensor } from '@mnist/tensor';
import { describe, expect, it } from 'vitest';
import { LayerStateError } from '../layer.js';
import { Tanh } from './tanh.js';

describe('Tanh', () => {
  it('computes tanh(x) for any shape, saturating at ±1', () => {
    const y = new Tanh().forward(Tensor.from([0, 0.5, -0.5, 50, -50, 1], [1, 2, 3]));
    expect(y.shape).toEqual([1, 2, 3]);
    const t = Math.fround(Math.tanh(0.5));
    expect(Array.from(y.data)).toEqual([0, t, -t, 1, -1, Math.fround(Math.tanh(1))]);
  });

  it('back-propagates dy ⊙ (1 − y²)', () => {
    const layer = new Tanh();
    const y = layer.forward(Tensor.fromArray([[0, 1]]));
    const dx = layer.backward(Tensor.fromArray([[4, 2]]));
    // y = [0, tanh 1]: [4·1, 2·(1 − tanh²1)]
    expect(dx.data[0]).toBe(4);
    expect(dx.data[1]).toBeCloseTo(2 * (1 - y.data[1] ** 2), 6);
  });

  it('has no parameters and an empty config, and rebuilds from it', () => {
    expect([new Tanh().params(), new Tanh().config(), Tanh.fromConfig().type]).toEqual([[], {}, 'Tanh']);
    expect(() => new Tanh().backward(Tensor.zeros([1]))).toThrow(LayerStateError);
  });
});
