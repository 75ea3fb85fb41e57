import { describe, expect, it } from 'vitest';
import { ShapeError } from '../shape-error.js';
import { Tensor } from '../tensor.js';
import { leakyRelu, leakyReluBackward } from './leaky-relu.js';

describe('leakyRelu', () => {
  it('is x for x > 0 and slope·x otherwise, hand-checked, keeping NaN', () => {
    const x = Tensor.from([-4, -1, 0, 2, Number.NaN]);
    expect(Array.from(leakyRelu(x, 0.25).data)).toEqual([-1, -0.25, 0, 2, Number.NaN]);
    expect(Array.from(leakyRelu(x, 0).data)).toEqual([-0, -0, 0, 2, Number.NaN]); // slope 0 is ReLU, up to 0's sign
  });

  it('runs in place and rejects a non-finite slope or a wrong out', () => {
    const x = Tensor.from([-4, 2]);
    expect(leakyRelu(x, 0.5, x)).toBe(x);
    expect(Array.from(x.data)).toEqual([-2, 2]);
    expect(() => leakyRelu(x, Number.NaN)).toThrow(
      new RangeError('leakyRelu: slope must be a finite number, found NaN'),
    );
    expect(() => leakyRelu(x, 0.1, Tensor.zeros([3]))).toThrow(ShapeError);
  });
});

describe('leakyReluBackward', () => {
  it('passes dy where x > 0 and slope·dy elsewhere, including at x = 0', () => {
    const dx = leakyReluBackward(Tensor.from([-4, 0, 2, 1]), Tensor.from([4, 4, 4, -8]), 0.25);
    expect(Array.from(dx.data)).toEqual([1, 1, 4, -8]);
  });

  it('writes into out === dy and rejects mismatched shapes and slopes', () => {
    const dy = Tensor.from([4, 4]);
    expect(leakyReluBackward(Tensor.from([-1, 1]), dy, 0.5, dy)).toBe(dy);
    expect(Array.from(dy.data)).toEqual([2, 4]);
    expect(() => leakyReluBackward(Tensor.zeros([2]), Tensor.zeros([3]), 0.1)).toThrow(ShapeError);
    expect(() => leakyReluBackward(Tensor.zeros([2]), Tensor.zeros([2]), Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});
