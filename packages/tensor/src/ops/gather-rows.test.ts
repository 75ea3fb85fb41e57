import { describe, expect, it } from 'vitest';
import { ShapeError } from '../shape-error.js';
import { Tensor } from '../tensor.js';
import { gatherRows } from './gather-rows.js';

const X = Tensor.fromArray([
  [0, 1],
  [10, 11],
  [20, 21],
]);

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a throw');
}

describe('gatherRows', () => {
  it('picks rows by index, repeats allowed', () => {
    const y = gatherRows(X, [2, 0, 2]);
    expect(y.shape).toEqual([3, 2]);
    expect(y.toArray()).toEqual([
      [20, 21],
      [0, 1],
      [20, 21],
    ]);
  });

  it('keeps the trailing dimensions of x and accepts typed index arrays', () => {
    const images = Tensor.from(
      Array.from({ length: 3 * 2 * 2 }, (_, i) => i),
      [3, 2, 2],
    );
    const y = gatherRows(images, new Uint32Array([1]));
    expect(y.shape).toEqual([1, 2, 2]);
    expect(Array.from(y.data)).toEqual([4, 5, 6, 7]);
    expect(Array.from(gatherRows(Tensor.from([5, 6, 7]), [2, 1]).data)).toEqual([7, 6]);
  });

  it('gives an empty batch for no indices', () => {
    expect(gatherRows(X, []).shape).toEqual([0, 2]);
    expect(gatherRows(Tensor.zeros([0, 4]), []).shape).toEqual([0, 4]);
  });

  it('overwrites a reused out and returns it', () => {
    const out = Tensor.full([2, 2], Number.NaN);
    expect(gatherRows(X, [1, 1], out)).toBe(out);
    expect(Array.from(out.data)).toEqual([10, 11, 10, 11]);
  });

  it.each([-1, 3, 0.5, Number.NaN])('rejects the index %d with a RangeError naming its position', (index) => {
    expect(() => gatherRows(X, [0, index])).toThrow(RangeError);
    expect(() => gatherRows(X, [0, index])).toThrow(`indices[1] must be an integer in [0, 3), found ${index}`);
  });

  it('rejects a scalar x, a wrong out and an out sharing memory with x', () => {
    const scalar = thrown(() => gatherRows(Tensor.fromArray(1), [0]));
    expect(scalar).toBeInstanceOf(ShapeError);
    expect(scalar.message).toContain('[]');
    const wrong = thrown(() => gatherRows(X, [0], Tensor.zeros([2, 2])));
    expect(wrong).toBeInstanceOf(ShapeError);
    expect(wrong.message).toContain('[1, 2]');
    expect(wrong.message).toContain('[2, 2]');
    expect(() => gatherRows(X, [0, 1, 2], X.reshape([3, 2]))).toThrow(/shares memory/);
    expect(() => gatherRows({} as Tensor, [0])).toThrow(TypeError);
  });
});
