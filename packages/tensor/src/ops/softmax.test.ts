import { describe, expect, it } from 'vitest';
import { Random } from '../random.js';
import type { Shape } from '../shape.js';
import { ShapeError } from '../shape-error.js';
import { Tensor } from '../tensor.js';
import { softmax, softmaxBackward } from './softmax.js';

/** Softmax of one row in float64, shifted by the row maximum. */
function naiveSoftmaxRow(row: ArrayLike<number>): number[] {
  const values = Array.from(row);
  const max = Math.max(...values);
  const exps = values.map((v) => Math.exp(v - max));
  const total = exps.reduce((p, v) => p + v, 0);
  return exps.map((v) => v / total);
}

function random(rng: Random, shape: Shape, range = 5): Tensor {
  const x = Tensor.zeros(shape);
  for (let i = 0; i < x.size; i++) x.data[i] = rng.uniform(-range, range);
  return x;
}

function rowsOf(x: Tensor): Float32Array[] {
  const cols = x.shape[x.rank - 1];
  const rows: Float32Array[] = [];
  for (let start = 0; start < x.size; start += cols) rows.push(x.data.subarray(start, start + cols));
  return rows;
}

function expectClose(found: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number): void {
  expect(found.length).toBe(expected.length);
  for (let i = 0; i < found.length; i++) {
    if (!(Math.abs(found[i] - expected[i]) <= tolerance)) {
      expect.fail(`element ${i} is ${found[i]}, expected ${expected[i]} ± ${tolerance}`);
    }
  }
}

describe('softmax', () => {
  it('matches exp(x) / Σ exp(x), hand-checked on [0, ln 2, ln 5]', () => {
    // exp gives [1, 2, 5], so the probabilities are [1/8, 2/8, 5/8].
    const y = softmax(Tensor.from([0, Math.LN2, Math.log(5)], [1, 3]));
    expectClose(y.data, [0.125, 0.25, 0.625], 1e-7);
  });

  it.each([
    [1, 1],
    [1, 17],
    [13, 1],
    [5, 10],
    [33, 65],
  ])('matches a float64 reference row by row for %i×%i, and each row sums to 1', (rows, cols) => {
    const x = random(new Random(rows * 100 + cols), [rows, cols]);
    const y = softmax(x);
    expect(y.shape).toEqual([rows, cols]);
    const xs = rowsOf(x);
    rowsOf(y).forEach((row, r) => {
      expectClose(row, naiveSoftmaxRow(xs[r]), 1e-7);
      expect(Math.abs(row.reduce((p, v) => p + v, 0) - 1)).toBeLessThan(1e-6);
    });
  });

  it('works over the last axis of a 3-D tensor', () => {
    const x = random(new Random(3), [2, 3, 4]);
    const y = softmax(x);
    expect(y.shape).toEqual([2, 3, 4]);
    const xs = rowsOf(x);
    for (const [r, row] of rowsOf(y).entries()) expectClose(row, naiveSoftmaxRow(xs[r]), 1e-7);
  });

  it('is invariant to adding a constant to each row', () => {
    const x = random(new Random(4), [6, 9]);
    const shifted = x.clone();
    for (let r = 0; r < 6; r++) {
      for (let c = 0; c < 9; c++) shifted.data[r * 9 + c] += (r - 3) * 37.5;
    }
    expectClose(softmax(shifted).data, softmax(x).data, 1e-5);
  });

  it('does not overflow or underflow to NaN for inputs like ±1000', () => {
    const y = softmax(
      Tensor.fromArray([
        [1000, -1000],
        [1000, 1000],
        [-1000, -1000],
        [1000, 999],
        [-1000, -999],
      ]),
    );
    expect(y.data.every((v) => Number.isFinite(v))).toBe(true);
    const e = 1 / (1 + Math.E);
    expectClose(y.data, [1, 0, 0.5, 0.5, 0.5, 0.5, 1 - e, e, e, 1 - e], 1e-7);
  });

  it('gives 1 for a single column and handles empty rows and columns', () => {
    expect(Array.from(softmax(Tensor.from([3, -7], [2, 1])).data)).toEqual([1, 1]);
    expect(softmax(Tensor.zeros([0, 4])).shape).toEqual([0, 4]);
    expect(softmax(Tensor.zeros([4, 0])).shape).toEqual([4, 0]);
  });

  it('runs in place when out is x, and fills a given out', () => {
    const x = random(new Random(5), [4, 7]);
    const expected = softmax(x);
    const out = Tensor.full([4, 7], Number.NaN);
    expect(softmax(x, out)).toBe(out);
    expect(out.equals(expected)).toBe(true);
    expect(softmax(x, x)).toBe(x);
    expect(x.equals(expected)).toBe(true);
  });

  it('rejects a scalar, a wrong out and a non-tensor', () => {
    let error: unknown;
    try {
      softmax(Tensor.fromArray(1));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ShapeError);
    expect((error as ShapeError).op).toBe('softmax');
    expect((error as ShapeError).message).toContain('[]');
    expect(() => softmax(Tensor.zeros([2, 3]), Tensor.zeros([3, 2]))).toThrow(/softmax: .*\[2, 3\].*\[3, 2\]/);
    expect(() => softmax({} as Tensor)).toThrow(TypeError);
  });
});

describe('softmaxBackward', () => {
  it('is y ⊙ (dy − ⟨dy, y⟩), hand-checked', () => {
    // y = [0.25, 0.75], dy = [1, 0]: ⟨dy, y⟩ = 0.25, dx = [0.25·0.75, 0.75·(−0.25)].
    const dx = softmaxBackward(Tensor.from([0.25, 0.75], [1, 2]), Tensor.from([1, 0], [1, 2]));
    expect(Array.from(dx.data)).toEqual([0.1875, -0.1875]);
  });

  it('matches central finite differences of Σ dy ⊙ softmax(x)', () => {
    const rng = new Random(6);
    const rows = 3;
    const cols = 5;
    const x = random(rng, [rows, cols], 2);
    const dy = random(rng, [rows, cols], 1);
    const dx = softmaxBackward(softmax(x), dy);
    const h = 1e-5;
    for (let r = 0; r < rows; r++) {
      const row = Array.from(x.data.subarray(r * cols, (r + 1) * cols));
      const weights = dy.data.subarray(r * cols, (r + 1) * cols);
      const loss = (values: number[]) => naiveSoftmaxRow(values).reduce((p, v, j) => p + v * weights[j], 0);
      for (let c = 0; c < cols; c++) {
        const plus = [...row];
        const minus = [...row];
        plus[c] += h;
        minus[c] -= h;
        const numeric = (loss(plus) - loss(minus)) / (2 * h);
        expect(Math.abs(dx.data[r * cols + c] - numeric)).toBeLessThan(1e-6);
      }
    }
  });

  it('sums to zero along each row and runs in place when out is dy', () => {
    const rng = new Random(7);
    const y = softmax(random(rng, [4, 6]));
    const dy = random(rng, [4, 6]);
    const expected = softmaxBackward(y, dy);
    for (const row of rowsOf(expected)) expect(Math.abs(row.reduce((p, v) => p + v, 0))).toBeLessThan(1e-6);
    expect(softmaxBackward(y, dy, dy)).toBe(dy);
    expect(dy.equals(expected)).toBe(true);
  });

  it('rejects mismatched shapes, a scalar and non-tensors', () => {
    let error: unknown;
    try {
      softmaxBackward(Tensor.zeros([2, 3]), Tensor.zeros([3, 2]));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ShapeError);
    expect((error as ShapeError).op).toBe('softmaxBackward');
    expect((error as ShapeError).message).toContain('[2, 3]');
    expect((error as ShapeError).message).toContain('[3, 2]');
    expect(() => softmaxBackward(Tensor.fromArray(1), Tensor.fromArray(1))).toThrow(ShapeError);
    expect(() => softmaxBackward(Tensor.zeros([2]), Tensor.zeros([2]), Tensor.zeros([3]))).toThrow(ShapeError);
    expect(() => softmaxBackward({} as Tensor, Tensor.zeros([2]))).toThrow(TypeError);
  });
});
