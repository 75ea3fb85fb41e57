import { Tensor } from '@mnist/tensor';
import { describe, expect, it } from 'vitest';
import { LayerStateError } from '../layer.js';
import { GELU } from './gelu.js';

describe('GELU', () => {
  it('computes the tanh approximation x/2·(1 + tanh(√(2/π)·(x + 0.044715·x³)))', () => {
    const y = new GELU().forward(Tensor.fromArray([[0, 1, -1, 10, -10]]));
    // GELU(1) ≈ 0.841192 (the exact x·Φ(x) is 0.841345); GELU(−1) = GELU(1) − 1; far out it is x or 0.
    expect(y.data[0]).toBe(0);
    expect(y.data[1]).toBeCloseTo(0.841192, 6);
    expect(y.data[2]).toBeCloseTo(-0.158808, 6);
    expect(y.data[3]).toBe(10);
    expect(y.data[4]).toBeCloseTo(0, 6);
  });

  it('back-propagates from its input: dy/2 at 0, dy far right, 0 far left', () => {
    const layer = new GELU();
    layer.forward(Tensor.fromArray([[0, 10, -10]]));
    const dx = layer.backward(Tensor.fromArray([[2, 3, 4]]));
    expect(dx.data[0]).toBe(1);
    expect(dx.data[1]).toBeCloseTo(3, 6);
    expect(dx.data[2]).toBeCloseTo(0, 6);
  });

  it('has no parameters and an empty config, and rebuilds from it', () => {
    expect([new GELU().params(), new GELU().config(), GELU.fromConfig().type]).toEqual([[], {}, 'GELU']);
    expect(() => new GELU().backward(Tensor.zeros([1]))).toThrow(LayerStateError);
  });
});
