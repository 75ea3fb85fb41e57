import { ShapeError, Tensor } from '@mnist/tensor';
import { describe, expect, it } from 'vitest';
import { LayerStateError } from '../layer.js';
import { Flatten } from './flatten.js';

describe('Flatten', () => {
  it('views [batch, …] as [batch, product] without copying', () => {
    const x = Tensor.from(
      Array.from({ length: 24 }, (_, i) => i),
      [2, 3, 2, 2],
    );
    const y = new Flatten().forward(x);
    expect(y.shape).toEqual([2, 12]);
    expect(y.data).toBe(x.data);
    expect(y.get(1, 0)).toBe(12); // row-major order kept: example 1 starts at element 12
  });

  it('back-propagates dy viewed in the input’s shape', () => {
    const layer = new Flatten();
    layer.forward(Tensor.zeros([2, 1, 2, 2]));
    const dy = Tensor.from([1, 2, 3, 4, 5, 6, 7, 8], [2, 4]);
    const dx = layer.backward(dy);
    expect(dx.shape).toEqual([2, 1, 2, 2]);
    expect(dx.data).toBe(dy.data);
  });

  it('gives [batch, product] as its output shape, keeping a batch of −1', () => {
    const layer = new Flatten();
    expect(layer.outputShape([-1, 1, 28, 28])).toEqual([-1, 784]);
    expect(layer.outputShape([5, 3])).toEqual([5, 3]);
    expect(layer.outputShape([5])).toEqual([5, 1]);
    expect(() => layer.outputShape([])).toThrow(ShapeError);
    expect(() => layer.forward(Tensor.fromArray(3))).toThrow('Flatten: expects input [batch, …], found []');
  });

  it('throws LayerStateError before forward and for a dy unlike the last output', () => {
    expect(() => new Flatten().backward(Tensor.zeros([2, 4]))).toThrow(LayerStateError);
    const layer = new Flatten();
    layer.forward(Tensor.zeros([2, 2, 2]));
    expect(() => layer.backward(Tensor.zeros([2, 2, 2]))).toThrow(
      'Flatten: dy has shape [2, 2, 2] but the last output was [2, 4]',
    );
  });

  it('has no parameters and an empty config', () => {
    expect([new Flatten().params(), new Flatten().config(), Flatten.fromConfig().type]).toEqual([[], {}, 'Flatten']);
  });
});
