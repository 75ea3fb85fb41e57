import { describe, expect, it } from 'vitest';
import { Random } from '../random.js';
import { ShapeError } from '../shape-error.js';
import { Tensor } from '../tensor.js';
import { relu, reluBackward } from './relu.js';

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a throw');
}

describe('relu', () => {
  it('is max(x, 0), hand-checked, and keeps NaN', () => {
    const x = Tensor.from([-2, -0.5, 0, 0.5, 3, Number.NaN, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY]);
    expect(Array.from(relu(x).data)).toEqual([0, 0, 0, 0.5, 3, Number.NaN, 0, Number.POSITIVE_INFINITY]);
  });

  it('matches the definition on random data of any rank, and runs in place', () => {
    const rng = new Random(1);
    const x = Tensor.from(
      Array.from({ length: 3 * 5 * 7 }, () => rng.uniform(-1, 1)),
      [3, 5, 7],
    );
    const expected = Array.from(x.data, (v) => Math.max(v, 0));
    const y = relu(x);
    expect(y.shape).toEqual([3, 5, 7]);
    expect(Array.from(y.data)).toEqual(expected);
    expect(relu(x, x)).toBe(x);
    expect(Array.from(x.data)).toEqual(expected);
  });

  it('rejects a wrong out and a non-tensor', () => {
    const error = thrown(() => relu(Tensor.zeros([2, 3]), Tensor.zeros([6])));
    expect(error).toBeInstanceOf(ShapeError);
    expect((error as ShapeError).op).toBe('relu');
    expect(error.message).toContain('[2, 3]');
    expect(error.message).toContain('[6]');
    expect(() => relu(null as unknown as Tensor)).toThrow(TypeError);
  });
});

describe('reluBackward', () => {
  it('passes dy where x > 0 and 0 elsewhere, including at x = 0', () => {
    const x = Tensor.from([-1, 0, 2, 3, Number.NaN]);
    const dy = Tensor.from([10, 20, 30, -40, 50]);
    expect(Array.from(reluBackward(x, dy).data)).toEqual([0, 0, 30, -40, 0]);
  });

  it('writes into out === dy and leaves x alone', () => {
    const rng = new Random(2);
    const x = Tensor.from(Array.from({ length: 13 }, () => rng.uniform(-1, 1)));
    const dy = Tensor.from(Array.from({ length: 13 }, () => rng.uniform(-1, 1)));
    const xBefore = x.clone();
    const expected = Array.from(dy.data, (d, i) => (x.data[i] > 0 ? d : 0));
    expect(reluBackward(x, dy, dy)).toBe(dy);
    expect(Array.from(dy.data)).toEqual(expected);
    expect(x.equals(xBefore)).toBe(true);
  });

  it('rejects a dy of another shape than x, naming both shapes', () => {
    const error = thrown(() => reluBackward(Tensor.zeros([2, 3]), Tensor.zeros([3, 2])));
    expect(error).toBeInstanceOf(ShapeError);
    expect((error as ShapeError).op).toBe('reluBackward');
    expect(error.message).toContain('[2, 3]');
    expect(error.message).toContain('[3, 2]');
  });

  it('rejects a wrong out and non-tensors', () => {
    expect(() => reluBackward(Tensor.zeros([2]), Tensor.zeros([2]), Tensor.zeros([3]))).toThrow(ShapeError);
    expect(() => reluBackward({} as Tensor, Tensor.zeros([2]))).toThrow(TypeError);
    expect(() => reluBackward(Tensor.zeros([2]), undefined as unknown as Tensor)).toThrow(TypeError);
  });
});
