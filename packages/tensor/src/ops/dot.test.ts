import { describe, expect, it } from 'vitest';
import { Random } from '../random.js';
import { ShapeError } from '../shape-error.js';
import { Tensor } from '../tensor.js';
import { crossEntropy, dot } from './dot.js';

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a throw');
}

describe('dot', () => {
  it('sums elementwise products over any shape, hand-checked', () => {
    // 1·4 + 2·5 + 3·6 = 32
    expect(dot(Tensor.from([1, 2, 3]), Tensor.from([4, 5, 6]))).toBe(32);
    expect(
      dot(
        Tensor.fromArray([
          [1, 2],
          [3, 4],
        ]),
        Tensor.fromArray([
          [1, 2],
          [3, 4],
        ]),
      ),
    ).toBe(30);
    expect(dot(Tensor.fromArray(3), Tensor.fromArray(-2))).toBe(-6);
    expect(dot(Tensor.zeros([0, 4]), Tensor.zeros([0, 4]))).toBe(0);
  });

  it('accumulates in float64, matching a float64 reference on random data', () => {
    const rng = new Random(1);
    const a = Tensor.from(Array.from({ length: 10_007 }, () => rng.uniform(-1, 1)));
    const b = Tensor.from(Array.from({ length: 10_007 }, () => rng.uniform(-1, 1)));
    let expected = 0;
    for (let i = 0; i < a.size; i++) expected += a.data[i] * b.data[i];
    expect(dot(a, b)).toBeCloseTo(expected, 10);
    // A float32 sum of 1e5 products 0.1·1 would drift by about 1.4; float64 stays within 1e-6.
    expect(dot(Tensor.full([100_000], 0.1), Tensor.ones([100_000]))).toBeCloseTo(100_000 * Math.fround(0.1), 6);
  });

  it('throws a ShapeError naming both shapes when they differ', () => {
    const error = thrown(() => dot(Tensor.zeros([2, 3]), Tensor.zeros([6])));
    expect(error).toBeInstanceOf(ShapeError);
    expect((error as ShapeError).op).toBe('dot');
    expect(error.message).toContain('[2, 3]');
    expect(error.message).toContain('[6]');
  });

  it('throws a TypeError for non-tensors', () => {
    expect(() => dot([1] as unknown as Tensor, Tensor.zeros([1]))).toThrow(TypeError);
    expect(() => dot(Tensor.zeros([1]), null as unknown as Tensor)).toThrow(TypeError);
  });
});

describe('crossEntropy', () => {
  it('is the mean over rows of −Σ t·ln p, hand-checked', () => {
    const p = Tensor.fromArray([
      [0.5, 0.5],
      [0.25, 0.75],
    ]);
    const t = Tensor.fromArray([
      [1, 0],
      [0, 1],
    ]);
    // (−ln 0.5 − ln 0.75) / 2
    expect(crossEntropy(p, t)).toBeCloseTo((Math.LN2 + Math.log(4 / 3)) / 2, 7);
  });

  it('takes soft targets and rows of any rank past the first dimension', () => {
    const p = Tensor.from([0.5, 0.25, 0.25, 1], [1, 2, 2]);
    const t = Tensor.from([0.5, 0.5, 0, 0], [1, 2, 2]);
    expect(crossEntropy(p, t)).toBeCloseTo(0.5 * Math.LN2 + 0.5 * Math.log(4), 7);
  });

  it('counts 0·ln 0 as 0 and clamps a zero probability at 1e-30', () => {
    const t = Tensor.fromArray([[1, 0]]);
    expect(crossEntropy(Tensor.fromArray([[1, 0]]), t)).toBe(0);
    expect(crossEntropy(Tensor.fromArray([[0, 1]]), t)).toBeCloseTo(-Math.log(1e-30), 10);
  });

  it('is NaN for zero rows', () => {
    expect(crossEntropy(Tensor.zeros([0, 10]), Tensor.zeros([0, 10]))).toBeNaN();
  });

  it('rejects mismatched shapes and a scalar', () => {
    const error = thrown(() => crossEntropy(Tensor.zeros([2, 3]), Tensor.zeros([3, 2])));
    expect(error).toBeInstanceOf(ShapeError);
    expect((error as ShapeError).op).toBe('crossEntropy');
    expect(error.message).toContain('[2, 3]');
    expect(error.message).toContain('[3, 2]');
    expect(() => crossEntropy(Tensor.fromArray(1), Tensor.fromArray(1))).toThrow(ShapeError);
  });
});
