import { Tensor } from '@mnist/tensor';
import { describe, expect, it } from 'vitest';
import { LayerStateError } from '../layer.js';
import { Softmax } from './softmax.js';

describe('Softmax', () => {
  it('turns each row into probabilities', () => {
    // exp(0) : exp(ln 3) = 1 : 3, so [0.25, 0.75]; equal scores give equal shares.
    const y = new Softmax().forward(
      Tensor.fromArray([
        [0, Math.log(3)],
        [5, 5],
      ]),
    );
    expect(y.data[0]).toBeCloseTo(0.25, 6);
    expect(y.data[1]).toBeCloseTo(0.75, 6);
    expect(y.data[2]).toBeCloseTo(0.5, 6);
    expect(y.data[3]).toBeCloseTo(0.5, 6);
  });

  it('stays finite for large scores by subtracting the row maximum', () => {
    const y = new Softmax().forward(Tensor.fromArray([[1000, 1000 + Math.log(3)]]));
    expect(y.data[0]).toBeCloseTo(0.25, 5);
    expect(y.data[1]).toBeCloseTo(0.75, 5);
  });

  it('back-propagates y ⊙ (dy − ⟨dy, y⟩)', () => {
    const layer = new Softmax();
    layer.forward(Tensor.fromArray([[0, Math.log(3)]]));
    // y = [0.25, 0.75], dy = [1, 0]: ⟨dy, y⟩ = 0.25, dx = [0.25·0.75, 0.75·(−0.25)] = [0.1875, −0.1875]
    const dx = layer.backward(Tensor.fromArray([[1, 0]]));
    expect(dx.data[0]).toBeCloseTo(0.1875, 6);
    expect(dx.data[1]).toBeCloseTo(-0.1875, 6);
  });

  it('has no parameters and keeps the shape', () => {
    expect(new Softmax().params()).toEqual([]);
    expect(new Softmax().config()).toEqual({});
    expect(new Softmax().outputShape([-1, 10])).toEqual([-1, 10]);
    expect(Softmax.fromConfig()).toBeInstanceOf(Softmax);
  });

  it('throws LayerStateError before forward and for a dy of another shape', () => {
    expect(() => new Softmax().backward(Tensor.zeros([1, 2]))).toThrow(LayerStateError);
    const layer = new Softmax();
    layer.forward(Tensor.zeros([1, 2]));
    expect(() => layer.backward(Tensor.zeros([1, 3]))).toThrow(/dy has shape \[1, 3\] but the last input was \[1, 2\]/);
  });
});
