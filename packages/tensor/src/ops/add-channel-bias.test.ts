import { describe, expect, it } from 'vitest';
import { ShapeError } from '../shape-error.js';
import { Tensor } from '../tensor.js';
import { addChannelBias } from './add-channel-bias.js';

describe('addChannelBias', () => {
  it('adds bias[c] to every value of channel c, by hand', () => {
    const x = Tensor.fromArray([
      [
        [1, 2],
        [3, 4],
      ],
      [
        [5, 6],
        [7, 8],
      ],
    ]);
    expect(addChannelBias(x, Tensor.fromArray([10, 20])).toArray()).toEqual([
      [
        [11, 12],
        [23, 24],
      ],
      [
        [15, 16],
        [27, 28],
      ],
    ]);
  });

  it('runs in place and on 4-D and 2-D inputs', () => {
    const x = Tensor.zeros([2, 3, 2, 2]);
    expect(addChannelBias(x, Tensor.fromArray([1, 2, 3]), x)).toBe(x);
    expect(x.get(1, 2, 1, 0)).toBe(3);
    expect(addChannelBias(Tensor.zeros([2, 2]), Tensor.fromArray([1, 2])).toArray()).toEqual([
      [1, 2],
      [1, 2],
    ]);
    expect(addChannelBias(Tensor.zeros([0, 2, 3]), Tensor.fromArray([1, 2])).shape).toEqual([0, 2, 3]);
  });

  it('rejects mismatched shapes', () => {
    expect(() => addChannelBias(Tensor.zeros([3]), Tensor.zeros([3]))).toThrow(ShapeError);
    expect(() => addChannelBias(Tensor.zeros([2, 3, 4]), Tensor.zeros([4]))).toThrow(/bias must be \[3\]/);
    expect(() => addChannelBias(Tensor.zeros([2, 3, 4]), Tensor.zeros([3]), Tensor.zeros([2, 3]))).toThrow(ShapeError);
  });
});
