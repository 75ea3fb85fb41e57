import { Tensor } from '@mnist/tensor';
import { describe, expect, it } from 'vitest';
import { LayerStateError } from '../layer.js';
import { Sigmoid } from './sigmoid.js';

describe('Sigmoid', () => {
  it('computes 1/(1 + exp(−x)) for any shape, saturating without NaN', () => {
    // σ(0) = 0.5, σ(ln 3) = 1/(1 + 1/3) = 0.75, σ(−ln 3) = 0.25
    const y = new Sigmoid().forward(Tensor.from([0, Math.log(3), -Math.log(3), 100, -100, 0], [3, 2]));
    expect(y.shape).toEqual([3, 2]);
    expect(Array.from(y.data)).toEqual([0.5, 0.75, 0.25, 1, Math.fround(Math.exp(-100)), 0.5]);
  });

  it('back-propagates dy ⊙ y ⊙ (1 − y)', () => {
    const layer = new Sigmoid();
    layer.forward(Tensor.fromArray([[0, Math.log(3)]]));
    // y = [0.5, 0.75]: [4·0.25, 8·0.1875]
    expect(layer.backward(Tensor.fromArray([[4, 8]])).toArray()).toEqual([[1, 1.5]]);
  });

  it('has no parameters and an empty config, and rebuilds from it', () => {
    expect([new Sigmoid().params(), new Sigmoid().config(), Sigmoid.fromConfig().type]).toEqual([[], {}, 'Sigmoid']);
    expect(() => new Sigmoid().backward(Tensor.zeros([1]))).toThrow(LayerStateError);
  });
});
