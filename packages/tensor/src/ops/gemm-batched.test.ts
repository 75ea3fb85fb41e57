import { describe, expect, it } from 'vitest';
import { ShapeError } from '../shape-error.js';
import { Tensor } from '../tensor.js';
import { gemm } from './gemm.js';
import { gemmBatched } from './gemm-batched.js';

const A = Tensor.fromArray([
  [
    [1, 2],
    [3, 4],
  ],
  [
    [0, 1],
    [1, 0],
  ],
]); // [2, 2, 2]
const B = Tensor.fromArray([
  [
    [1, 0, 2],
    [0, 1, 3],
  ],
  [
    [5, 6, 7],
    [8, 9, 10],
  ],
]); // [2, 2, 3]

describe('gemmBatched', () => {
  it('multiplies matrix by matrix, worked out by hand', () => {
    const c = gemmBatched(A, B, Tensor.zeros([2, 2, 3]));
    expect(c.toArray()).toEqual([
      [
        [1, 2, 8],
        [3, 4, 18],
      ],
      [
        [8, 9, 10],
        [5, 6, 7],
      ],
    ]);
  });

  it('shares a rank-2 operand between every product', () => {
    const w = Tensor.fromArray([[1, 1]]); // [1, 2]
    const c = gemmBatched(w, B, Tensor.zeros([2, 1, 3]));
    expect(c.toArray()).toEqual([[[1, 1, 5]], [[13, 15, 17]]]);
  });

  it('sums the products into a rank-2 C, scaling what C held by β', () => {
    const c = Tensor.fromArray([
      [1, 1, 1],
      [1, 1, 1],
    ]);
    gemmBatched(A, B, c, { alpha: 2, beta: 10 });
    // 2·(A₀B₀ + A₁B₁) + 10·C, with A₀B₀ + A₁B₁ = [[9, 11, 18], [8, 10, 25]].
    expect(c.toArray()).toEqual([
      [28, 32, 46],
      [26, 30, 60],
    ]);
  });

  it('gives what one gemm per product gives, with transposes, bit for bit', () => {
    const a = Tensor.from(
      Array.from({ length: 3 * 5 * 4 }, (_, i) => Math.sin(i)),
      [3, 5, 4],
    ); // Aᵢᵀ is 4×5
    const b = Tensor.from(
      Array.from({ length: 6 * 5 }, (_, i) => Math.cos(i)),
      [6, 5],
    ); // Bᵀ is 5×6
    const c = gemmBatched(a, b, Tensor.zeros([3, 4, 6]), { transA: true, transB: true });
    for (let i = 0; i < 3; i++) {
      const expected = gemm(a.rows(i, i + 1).reshape([5, 4]), b, Tensor.zeros([4, 6]), { transA: true, transB: true });
      expect(
        c
          .rows(i, i + 1)
          .reshape([4, 6])
          .equals(expected),
      ).toBe(true);
    }
  });

  it('writes an empty sum as β·C without reading C when β is 0', () => {
    const none = Tensor.zeros([0, 2, 2]);
    const c = Tensor.fromArray([
      [Number.NaN, 2],
      [3, 4],
    ]);
    gemmBatched(none, Tensor.zeros([2, 2]), c);
    expect(Array.from(c.data)).toEqual([0, 0, 0, 0]);
    gemmBatched(none, Tensor.zeros([2, 2]), c.fill(3), { beta: 0.5 });
    expect(Array.from(c.data)).toEqual([1.5, 1.5, 1.5, 1.5]);
  });

  it('rejects shapes that do not chain, naming what was expected', () => {
    const error = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e as Error;
      }
      throw new Error('expected a throw');
    };
    expect(error(() => gemmBatched(Tensor.zeros([2, 2]), Tensor.zeros([2, 2]), Tensor.zeros([2, 2])))).toBeInstanceOf(
      ShapeError,
    );
    expect(error(() => gemmBatched(A, Tensor.zeros([3, 2, 2]), Tensor.zeros([2, 2, 2]))).message).toBe(
      'gemmBatched: A has a batch of 2 but B has 3',
    );
    expect(error(() => gemmBatched(A, Tensor.zeros([2, 3, 2]), Tensor.zeros([2, 2, 2]))).message).toBe(
      'gemmBatched: op(A) is [2, 2] but op(B) is [3, 2]; 2 ≠ 3',
    );
    expect(error(() => gemmBatched(A, B, Tensor.zeros([3, 2, 3]))).message).toBe(
      'gemmBatched: C has a batch of 3 but the products number 2',
    );
    expect(error(() => gemmBatched(A, B, Tensor.zeros([2, 3, 3]))).message).toBe(
      'gemmBatched: C must hold [2, 3] matrices but has shape [2, 3, 3]',
    );
    expect(error(() => gemmBatched(Tensor.zeros([2, 2, 2, 2]), B, Tensor.zeros([2, 2, 3]))).message).toMatch(
      /A must be \[rows, columns\] or \[batch, rows, columns\]/,
    );
  });

  it('refuses a C that overlaps an input', () => {
    const data = new Float32Array(8);
    const a = new Tensor(data, [2, 2, 2]);
    expect(() => gemmBatched(a, Tensor.zeros([2, 2]), new Tensor(data.subarray(0, 8), [2, 2, 2]))).toThrow(
      'C shares memory with A or B',
    );
  });
});
