import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allClose, assertClose, maxAbsDiff } from './compare.js';
import { ShapeError } from './shape-error.js';
import { Tensor } from './tensor.js';

const NaN_ = Number.NaN;
const INF = Number.POSITIVE_INFINITY;

describe('maxAbsDiff', () => {
  it('is the largest elementwise |a − b|', () => {
    expect(maxAbsDiff([1, 2, 3], [1, 2.5, 1])).toBe(2);
    expect(maxAbsDiff(new Float32Array([0, -4]), [1, -1])).toBe(3);
    expect(maxAbsDiff([], [])).toBe(0);
  });

  it('is 0 for identical arrays, including equal infinities', () => {
    expect(maxAbsDiff([1, INF, -INF], [1, INF, -INF])).toBe(0);
  });

  it('is Infinity when an infinity meets a finite value or the opposite infinity', () => {
    expect(maxAbsDiff([INF], [1])).toBe(INF);
    expect(maxAbsDiff([INF], [-INF])).toBe(INF);
  });

  it('is NaN when exactly one side is NaN at some index', () => {
    expect(maxAbsDiff([1, NaN_, 3], [1, 2, 3])).toBeNaN();
    expect(maxAbsDiff([1, 2], [1, NaN_])).toBeNaN();
  });

  it('ignores indices where both sides are NaN (NaN only when exactly one side is)', () => {
    expect(maxAbsDiff([NaN_, 1], [NaN_, 1.5])).toBe(0.5);
    expect(maxAbsDiff([NaN_], [NaN_])).toBe(0);
  });

  it('compares the values of tensors, the inputs allClose takes', () => {
    // A Tensor has no `length`: read as an array-like it once looked empty, and this was 0.
    expect(maxAbsDiff(Tensor.from([1, 2, 3]), Tensor.from([1, 2.5, 1]))).toBe(2);
    expect(maxAbsDiff(Tensor.from([1, 2, 3, 4], [2, 2]), Tensor.from([1, 2, 3, -4], [2, 2]))).toBe(8);
    expect(maxAbsDiff(Tensor.zeros([0, 3]), Tensor.zeros([0, 3]))).toBe(0);
  });

  it('compares a tensor with an array of as many values', () => {
    expect(maxAbsDiff(Tensor.from([1, 2], [1, 2]), [1, 4])).toBe(2);
    expect(maxAbsDiff([0.5], Tensor.from([0]))).toBe(0.5);
  });

  it('agrees with allClose: maxAbsDiff(a, b) <= atol exactly when allClose(a, b, { rtol: 0, atol })', () => {
    const value = fc.float({ noDefaultInfinity: false, noNaN: false });
    const pairs = fc
      .integer({ min: 0, max: 8 })
      .chain((n) =>
        fc.tuple(fc.array(value, { minLength: n, maxLength: n }), fc.array(value, { minLength: n, maxLength: n })),
      );
    fc.assert(
      fc.property(pairs, fc.double({ min: 0, max: 1e6, noNaN: true }), ([x, y], atol) => {
        const a = Tensor.from(x);
        const b = Tensor.from(y);
        expect(maxAbsDiff(a, b) <= atol).toBe(allClose(a, b, { rtol: 0, atol }));
      }),
      { seed: 13 },
    );
  });

  it('throws a ShapeError naming both shapes for tensors of different shapes, where allClose is false', () => {
    const a = Tensor.zeros([2, 3]);
    const b = Tensor.zeros([3, 2]);
    expect(allClose(a, b)).toBe(false);
    expect(() => maxAbsDiff(a, b)).toThrow(ShapeError);
    expect(() => maxAbsDiff(a, b)).toThrow('maxAbsDiff: a has shape [2, 3] but b has [3, 2]');
  });

  it('throws a ShapeError naming both lengths for inputs of different lengths', () => {
    expect(() => maxAbsDiff([1, 2, 3], [1, 2])).toThrow(
      new ShapeError('maxAbsDiff', 'a has length 3 but b has length 2'),
    );
    expect(() => maxAbsDiff([1], [1, 5])).toThrow(new ShapeError('maxAbsDiff', 'a has length 1 but b has length 2'));
    expect(() => maxAbsDiff(Tensor.zeros([2]), [0, 0, 9])).toThrow(ShapeError);
  });

  it('throws a TypeError naming what it found for an input that is neither a tensor nor an array-like', () => {
    const message = (found: string) => `maxAbsDiff: a must be a Tensor or an array-like of numbers, found ${found}`;
    expect(() => maxAbsDiff({} as never, [1])).toThrow(new TypeError(message('Object (no numeric length)')));
    expect(() => maxAbsDiff(3 as never, [1])).toThrow(new TypeError(message('number')));
    expect(() => maxAbsDiff('12' as never, '13' as never)).toThrow(new TypeError(message('string')));
    expect(() => maxAbsDiff(null as never, [1])).toThrow(new TypeError(message('null')));
    expect(() => maxAbsDiff([1], { length: -1 } as never)).toThrow(TypeError);
  });

  it('names a Tensor of another copy of the package, which fails instanceof', () => {
    // A class named Tensor that is not this copy's Tensor, as the one of an ESM copy is to a CommonJS copy.
    const otherCopy = {
      Tensor: class {
        readonly data = new Float32Array(1);
      },
    };
    expect(() => maxAbsDiff(new otherCopy.Tensor() as never, [1])).toThrow(
      /found a Tensor from another copy of @mnist\/tensor/,
    );
  });
});

describe('allClose', () => {
  const a = Tensor.from([1, 2, 3], [3]);

  it('is true for equal tensors and false for a different shape', () => {
    expect(allClose(a, a.clone())).toBe(true);
    expect(allClose(a, Tensor.from([1, 2, 3], [1, 3]))).toBe(false);
    expect(allClose(a, Tensor.from([1, 2, 3, 4]))).toBe(false);
  });

  it('uses |a − b| ≤ atol + rtol·|b| with defaults rtol 1e-5 and atol 1e-6', () => {
    // 1000 ± 1e-2: the bound is 1e-6 + 1e-5·1000 = 0.010001.
    expect(allClose(Tensor.from([1000.0099]), Tensor.from([1000]))).toBe(true);
    expect(allClose(Tensor.from([1000.0103]), Tensor.from([1000]))).toBe(false);
    // Near zero only atol counts.
    expect(allClose(Tensor.from([5e-7]), Tensor.from([0]))).toBe(true);
    expect(allClose(Tensor.from([2e-6]), Tensor.from([0]))).toBe(false);
  });

  it('measures rtol against the second argument', () => {
    // |10 − 5| = 5: within 0.6·|10| = 6 but not within 0.6·|5| = 3.
    const tol = { rtol: 0.6, atol: 0 };
    expect(allClose(Tensor.from([5]), Tensor.from([10]), tol)).toBe(true);
    expect(allClose(Tensor.from([10]), Tensor.from([5]), tol)).toBe(false);
  });

  it('honours custom tolerances', () => {
    expect(allClose(Tensor.from([1.1]), Tensor.from([1]), { atol: 0.2, rtol: 0 })).toBe(true);
    expect(allClose(Tensor.from([1.1]), Tensor.from([1]), { atol: 0.05, rtol: 0 })).toBe(false);
    expect(allClose(Tensor.from([1.0001]), Tensor.from([1]), { atol: 0, rtol: 0 })).toBe(false);
  });

  it('matches NaN with NaN only, and infinities with infinities of the same sign', () => {
    expect(allClose(Tensor.from([NaN_, INF, -INF]), Tensor.from([NaN_, INF, -INF]))).toBe(true);
    expect(allClose(Tensor.from([NaN_]), Tensor.from([0]))).toBe(false);
    expect(allClose(Tensor.from([0]), Tensor.from([NaN_]))).toBe(false);
    expect(allClose(Tensor.from([INF]), Tensor.from([3e38]), { rtol: 1 })).toBe(false);
  });

  it('does not match an expected infinity with a finite value or the opposite infinity', () => {
    // |x − ∞| ≤ atol + rtol·∞ holds for every x, so an expected infinity needs its own rule (as in NumPy's isclose).
    expect(allClose(Tensor.from([0]), Tensor.from([INF]))).toBe(false);
    expect(allClose(Tensor.from([-INF]), Tensor.from([INF]))).toBe(false);
    expect(allClose(Tensor.from([INF]), Tensor.from([-INF]))).toBe(false);
    expect(() => assertClose(Tensor.from([1]), Tensor.from([-INF]))).toThrow(/element 0 is 1, expected -Infinity/);
  });
});

describe('assertClose', () => {
  it('returns quietly when the tensors match', () => {
    expect(() => assertClose(Tensor.from([1, 2]), Tensor.from([1, 2 + 1e-7]))).not.toThrow();
  });

  it('names the label, the first differing index, both values, the tolerances and the largest difference', () => {
    const actual = Tensor.from([1, 2.5, 3, 10]);
    const expected = Tensor.from([1, 2, 3, 4]);
    let message = '';
    try {
      assertClose(actual, expected, { atol: 0.1, rtol: 0 }, 'logits');
    } catch (e) {
      expect(e).toBeInstanceOf(Error);
      message = (e as Error).message;
    }
    expect(message).toBe('logits: element 1 is 2.5, expected 2 (atol 0.1, rtol 0; max |diff| 6)');
  });

  it('defaults the label to "tensor" and reports a shape mismatch with both shapes', () => {
    expect(() => assertClose(Tensor.zeros([2, 3]), Tensor.zeros([3, 2]))).toThrow(
      'tensor: shape [2, 3] differs from expected [3, 2]',
    );
  });

  it('reports a NaN that was not expected', () => {
    expect(() => assertClose(Tensor.from([NaN_]), Tensor.from([1]))).toThrow(/element 0 is NaN, expected 1/);
  });
});
