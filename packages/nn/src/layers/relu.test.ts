import { Tensor } from '@mnist/tensor';
import { describe, expect, it } from 'vitest';
import { LayerStateError } from '../layer.js';
import { ReLU } from './relu.js';

describe('ReLU', () => {
  it('computes max(x, 0) elementwise for any shape', () => {
    const x = Tensor.from([-2, -0.5, 0, 0.5, 3, -1, 4, 0.25], [2, 2, 2]);
    const y = new ReLU().forward(x);
    expect(y.shape).toEqual([2, 2, 2]);
    expect(Array.from(y.data)).toEqual([0, 0, 0, 0.5, 3, 0, 4, 0.25]);
    expect(Array.from(x.data)).toEqual([-2, -0.5, 0, 0.5, 3, -1, 4, 0.25]); // the input is untouched
  });

  it('passes dy where x > 0 and zero elsewhere, including at x = 0', () => {
    const layer = new ReLU();
    layer.forward(Tensor.fromArray([[-2, 0, 3, 1e-7]]));
    expect(layer.backward(Tensor.fromArray([[5, 6, 7, 8]])).toArray()).toEqual([[0, 0, 7, 8]]);
  });

  it('has no parameters and an empty config, and keeps the shape', () => {
    const layer = new ReLU();
    expect(layer.params()).toEqual([]);
    expect(layer.config()).toEqual({});
    expect(layer.outputShape([-1, 3, 4])).toEqual([-1, 3, 4]);
    expect(ReLU.fromConfig()).toBeInstanceOf(ReLU);
  });

  it('throws LayerStateError before forward and for a dy of another shape', () => {
    expect(() => new ReLU().backward(Tensor.zeros([2, 3]))).toThrow(LayerStateError);
    const layer = new ReLU();
    layer.forward(Tensor.zeros([2, 3]));
    expect(() => layer.backward(Tensor.zeros([3, 2]))).toThrow(/dy has shape \[3, 2\] but the last input was \[2, 3\]/);
  });
});
