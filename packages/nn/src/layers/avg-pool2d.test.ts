import { ShapeError, Tensor } from '@mnist/tensor';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../config-error.js';
import { LayerStateError } from '../layer.js';
import { AvgPool2D } from './avg-pool2d.js';

describe('AvgPool2D', () => {
  it('averages each 2×2 block and spreads dy evenly over it', () => {
    const layer = new AvgPool2D(2);
    const x = Tensor.fromArray([
      [
        [
          [1, 2, 5, 0],
          [3, 4, 6, 8],
          [9, 9, -1, -2],
          [7, 9, -3, -4],
        ],
      ],
    ]);
    // (1 + 2 + 3 + 4)/4, (5 + 0 + 6 + 8)/4, (9 + 9 + 7 + 9)/4, (−1 − 2 − 3 − 4)/4
    expect(layer.forward(x).toArray()).toEqual([
      [
        [
          [2.5, 4.75],
          [8.5, -2.5],
        ],
      ],
    ]);
    const dx = layer.backward(
      Tensor.fromArray([
        [
          [
            [4, 8],
            [12, 16],
          ],
        ],
      ]),
    );
    expect(dx.toArray()).toEqual([
      [
        [
          [1, 1, 2, 2],
          [1, 1, 2, 2],
          [3, 3, 4, 4],
          [3, 3, 4, 4],
        ],
      ],
    ]);
  });

  it('counts the padding in the divisor (count_include_pad)', () => {
    const layer = new AvgPool2D(2, { padding: 1 });
    const y = layer.forward(
      Tensor.fromArray([
        [
          [
            [4, 8],
            [12, 16],
          ],
        ],
      ]),
    );
    expect(y.toArray()).toEqual([
      [
        [
          [1, 2],
          [3, 4],
        ],
      ],
    ]);
  });

  it.each([
    [2, {}, [2, 3, 4, 5]],
    [3, { stride: 1, padding: 1 }, [2, 3, 9, 11]],
    [2, { stride: 2, padding: 1 }, [2, 3, 5, 6]],
  ] as const)('pool %d with %o on [2, 3, 9, 11] gives %o', (poolSize, options, expected) => {
    const layer = new AvgPool2D(poolSize, options);
    expect(layer.outputShape([2, 3, 9, 11])).toEqual(expected);
    expect(layer.forward(Tensor.zeros([2, 3, 9, 11])).shape).toEqual(expected);
  });

  it('rejects bad arguments, inputs and configs', () => {
    expect(() => new AvgPool2D(3, { padding: 2 })).toThrow(/at most half the pool size/);
    const layer = new AvgPool2D(2);
    expect(() => layer.backward(Tensor.zeros([1, 1, 1, 1]))).toThrow(LayerStateError);
    expect(() => layer.forward(Tensor.zeros([4, 4]))).toThrow(ShapeError);
    layer.forward(Tensor.zeros([1, 2, 4, 4]));
    expect(() => layer.backward(Tensor.zeros([1, 2, 4, 4]))).toThrow(/dy must be \[1, 2, 2, 2\]/);
    expect(AvgPool2D.fromConfig({ poolSize: 2, stride: 1, padding: 1 }).config()).toEqual({
      poolSize: 2,
      stride: 1,
      padding: 1,
    });
    expect(() => AvgPool2D.fromConfig({ poolSize: 0, stride: 1, padding: 0 })).toThrow(ConfigError);
  });
});
