import { ShapeError, Tensor } from '@mnist/tensor';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../config-error.js';
import { LayerStateError } from '../layer.js';
import { MaxPool2D } from './max-pool2d.js';

const image = () =>
  Tensor.fromArray([
    [
      [
        [1, 2, 5, 0],
        [3, 4, 6, 8],
        [9, 9, -1, -2],
        [7, 9, -3, -4],
      ],
    ],
  ]);

describe('MaxPool2D', () => {
  it('takes the maximum of each 2×2 block and routes dy to it', () => {
    const layer = new MaxPool2D(2);
    expect(layer.forward(image()).toArray()).toEqual([
      [
        [
          [4, 8],
          [9, -1],
        ],
      ],
    ]);
    const dx = layer.backward(
      Tensor.fromArray([
        [
          [
            [1, 2],
            [3, 4],
          ],
        ],
      ]),
    );
    // The tie of three 9s in the lower-left block goes to the first one, at (2, 0).
    expect(dx.toArray()).toEqual([
      [
        [
          [0, 0, 0, 0],
          [0, 1, 0, 2],
          [3, 0, 4, 0],
          [0, 0, 0, 0],
        ],
      ],
    ]);
  });

  it('never takes the padding, even for negative inputs', () => {
    const layer = new MaxPool2D(2, { padding: 1 });
    const y = layer.forward(
      Tensor.fromArray([
        [
          [
            [-1, -2],
            [-3, -4],
          ],
        ],
      ]),
    );
    expect(y.toArray()).toEqual([
      [
        [
          [-1, -2],
          [-3, -4],
        ],
      ],
    ]);
  });

  it.each([
    [2, {}, [2, 3, 4, 5]],
    [3, { stride: 1, padding: 1 }, [2, 3, 9, 11]],
    [3, { stride: 2 }, [2, 3, 4, 5]],
    [2, { stride: 2, padding: 1 }, [2, 3, 5, 6]],
  ] as const)('pool %d with %o on [2, 3, 9, 11] gives %o', (poolSize, options, expected) => {
    const layer = new MaxPool2D(poolSize, options);
    expect(layer.outputShape([2, 3, 9, 11])).toEqual(expected);
    expect(layer.forward(Tensor.zeros([2, 3, 9, 11])).shape).toEqual(expected);
  });

  it('rejects bad arguments and inputs', () => {
    expect(() => new MaxPool2D(0)).toThrow(RangeError);
    expect(() => new MaxPool2D(2, { padding: 2 })).toThrow(/at most half the pool size/);
    expect(() => new MaxPool2D(2, { stride: 0 })).toThrow(/stride/);
    const layer = new MaxPool2D(3);
    expect(() => layer.backward(Tensor.zeros([1, 1, 1, 1]))).toThrow(LayerStateError);
    expect(() => layer.forward(Tensor.zeros([2, 4, 4]))).toThrow(ShapeError);
    expect(() => layer.forward(Tensor.zeros([1, 1, 2, 4]))).toThrow(/does not fit/);
    layer.forward(Tensor.zeros([1, 1, 6, 6]));
    expect(() => layer.backward(Tensor.zeros([1, 1, 3, 3]))).toThrow(/dy must be \[1, 1, 2, 2\]/);
  });

  it('round-trips its config and rejects bad ones', () => {
    const config = new MaxPool2D(3, { stride: 2, padding: 1 }).config();
    expect(config).toEqual({ poolSize: 3, stride: 2, padding: 1 });
    expect(MaxPool2D.fromConfig(config).config()).toEqual(config);
    expect(new MaxPool2D(2).config()).toEqual({ poolSize: 2, stride: 2, padding: 0 });
    expect(() => MaxPool2D.fromConfig({ poolSize: 2, stride: 2, padding: 2 })).toThrow(ConfigError);
    expect(() => MaxPool2D.fromConfig({ poolSize: 2, padding: 0 })).toThrow(ConfigError);
  });
});
