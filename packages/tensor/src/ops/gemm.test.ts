import { describe, expect, it } from 'vitest';
import { Random } from '../random.js';
import { ShapeError } from '../shape-error.js';
import { Tensor } from '../tensor.js';
import { gemm, matmul } from './gemm.js';

/** `op(A)·op(B)` for 2-D tensors, in float64, straight from the definition. */
function naiveMatmul(a: Tensor, b: Tensor, transA: boolean, transB: boolean): Float64Array {
  const [ar, ac] = a.shape as [number, number];
  const [br, bc] = b.shape as [number, number];
  const [m, k] = transA ? [ac, ar] : [ar, ac];
  const n = transB ? br : bc;
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let p = 0; p < k; p++) {
        const x = transA ? a.data[p * ac + i] : a.data[i * ac + p];
        const y = transB ? b.data[j * bc + p] : b.data[p * bc + j];
        sum += x * y;
      }
      out[i * n + j] = sum;
    }
  }
  return out;
}

function random(rng: Random, shape: [number, number]): Tensor {
  return Tensor.from(
    Array.from({ length: shape[0] * shape[1] }, () => rng.uniform(-1, 1)),
    shape,
  );
}

/** Asserts `found` is within float32 rounding of a float64 reference whose terms are bounded by `k` products of |x| ≤ 1. */
function expectNear(found: Float32Array, expected: ArrayLike<number>, k: number): void {
  expect(found.length).toBe(expected.length);
  const tolerance = 1e-6 * Math.max(k, 1);
  for (let i = 0; i < found.length; i++) {
    if (!(Math.abs(found[i] - expected[i]) <= tolerance)) {
      expect.fail(`element ${i} is ${found[i]}, expected ${expected[i]} ± ${tolerance}`);
    }
  }
}

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a throw');
}

// A = [[1, 2, 3],      B = [[ 7,  8],     A·B = [[1·7 + 2·9 + 3·11, 1·8 + 2·10 + 3·12],   = [[ 58,  64],
//      [4, 5, 6]]           [ 9, 10],             [4·7 + 5·9 + 6·11, 4·8 + 5·10 + 6·12]]      [139, 154]]
//                           [11, 12]]
const A = Tensor.fromArray([
  [1, 2, 3],
  [4, 5, 6],
]);
const B = Tensor.fromArray([
  [7, 8],
  [9, 10],
  [11, 12],
]);
const AT = Tensor.fromArray([
  [1, 4],
  [2, 5],
  [3, 6],
]);
const BT = Tensor.fromArray([
  [7, 9, 11],
  [8, 10, 12],
]);
const AB = [
  [58, 64],
  [139, 154],
];

describe('matmul: hand-checked', () => {
  it('multiplies a 2×3 by a 3×2', () => {
    const y = matmul(A, B);
    expect(y.shape).toEqual([2, 2]);
    expect(y.toArray()).toEqual(AB);
  });

  it.each([
    ['Aᵀ', AT, B, { transA: true }],
    ['Bᵀ', A, BT, { transB: true }],
    ['Aᵀ and Bᵀ', AT, BT, { transA: true, transB: true }],
  ] as const)('reads %s in place', (_, a, b, options) => {
    expect(matmul(a, b, options).toArray()).toEqual(AB);
  });

  it('gives the 3×3 outer-shaped product B·A', () => {
    // B·A row 0: [7·1 + 8·4, 7·2 + 8·5, 7·3 + 8·6] = [39, 54, 69].
    expect(matmul(B, A).toArray()).toEqual([
      [39, 54, 69],
      [49, 68, 87],
      [59, 82, 105],
    ]);
  });

  it('writes into a given out and returns it', () => {
    const out = Tensor.full([2, 2], Number.NaN);
    expect(matmul(A, B, {}, out)).toBe(out);
    expect(out.toArray()).toEqual(AB);
  });
});

describe('gemm: hand-checked', () => {
  it('with the defaults overwrites C, NaN included', () => {
    const c = Tensor.full([2, 2], Number.NaN);
    expect(gemm(A, B, c)).toBe(c);
    expect(c.toArray()).toEqual(AB);
  });

  it('computes C ← α·A·B + β·C', () => {
    const c = Tensor.fromArray([
      [4, 8],
      [-4, 2],
    ]);
    gemm(A, B, c, { alpha: 0.5, beta: 0.25 });
    // 0.5·[[58, 64], [139, 154]] + 0.25·[[4, 8], [−4, 2]]
    expect(c.toArray()).toEqual([
      [30, 34],
      [68.5, 77.5],
    ]);
  });

  it('accumulates with β = 1, as for a weight gradient dW += xᵀ·dy', () => {
    const c = Tensor.ones([2, 2]);
    gemm(AT, B, c, { transA: true, beta: 1 });
    gemm(AT, B, c, { transA: true, beta: 1 });
    expect(c.toArray()).toEqual([
      [117, 129],
      [279, 309],
    ]);
  });
});

describe('matmul and gemm against a float64 reference', () => {
  // Odd sizes, 1×N and N×1, depths across the 256 block and widths across the 128 block of the JS kernel.
  const sizes: [number, number, number][] = [
    [1, 1, 1],
    [1, 13, 7],
    [17, 1, 5],
    [3, 5, 7],
    [13, 33, 17],
    [65, 3, 257],
    [5, 129, 33],
    [7, 131, 300],
  ];

  for (const transA of [false, true]) {
    for (const transB of [false, true]) {
      it.each(sizes)(`transA=${transA} transB=${transB}: m=%i n=%i k=%i`, (m, n, k) => {
        const rng = new Random(m * 10_000 + n * 100 + k);
        const a = random(rng, transA ? [k, m] : [m, k]);
        const b = random(rng, transB ? [n, k] : [k, n]);
        const product = naiveMatmul(a, b, transA, transB);
        const y = matmul(a, b, { transA, transB });
        expect(y.shape).toEqual([m, n]);
        expectNear(y.data, product, k);

        for (const [alpha, beta] of [
          [1, 1],
          [0.5, 0.25],
          [0, 0.25],
          [-2, 0],
        ]) {
          const c = random(rng, [m, n]);
          const expected = product.map((v, i) => alpha * v + beta * c.data[i]);
          gemm(a, b, c, { transA, transB, alpha, beta });
          expectNear(c.data, expected, k);
        }
      });
    }
  }

  it.each([
    [0, 4, 3],
    [4, 0, 3],
    [0, 0, 0],
  ])('handles an empty product m=%i n=%i k=%i', (m, n, k) => {
    const y = matmul(Tensor.zeros([m, k]), Tensor.zeros([k, n]));
    expect(y.shape).toEqual([m, n]);
    expect(y.size).toBe(0);
  });

  it('gives zeros for k = 0 and C = β·C with gemm', () => {
    expect(matmul(Tensor.zeros([2, 0]), Tensor.zeros([0, 3])).toArray()).toEqual([
      [0, 0, 0],
      [0, 0, 0],
    ]);
    const c = Tensor.fromArray([[4, Number.NaN]]);
    gemm(Tensor.zeros([1, 0]), Tensor.zeros([0, 2]), c, { alpha: 3 });
    expect(c.toArray()).toEqual([[0, 0]]);
    const d = Tensor.fromArray([[4, -8]]);
    gemm(Tensor.zeros([1, 0]), Tensor.zeros([0, 2]), d, { beta: 0.25 });
    expect(d.toArray()).toEqual([[1, -2]]);
  });
});

describe('gemm and matmul: errors', () => {
  it('names both operand shapes when the inner dimensions differ', () => {
    const error = thrown(() => matmul(Tensor.zeros([2, 3]), Tensor.zeros([4, 5])));
    expect(error).toBeInstanceOf(ShapeError);
    expect((error as ShapeError).op).toBe('matmul');
    expect(error.message).toContain('[2, 3]');
    expect(error.message).toContain('[4, 5]');
    expect(error.message).toContain('inner dimensions 3 and 4 differ');
  });

  it('says which operand was transposed', () => {
    // op(B) = [3, 2]ᵀ is [2, 3], which cannot follow op(A) = [2, 3].
    const error = thrown(() =>
      gemm(Tensor.zeros([2, 3]), Tensor.zeros([3, 2]), Tensor.zeros([2, 3]), { transB: true }),
    );
    expect(error).toBeInstanceOf(ShapeError);
    expect((error as ShapeError).op).toBe('gemm');
    expect(error.message).toContain('op(B) is [2, 3] (B [3, 2] transposed)');
    expect(matmul(Tensor.zeros([2, 3]), Tensor.zeros([2, 3]), { transA: true }).shape).toEqual([3, 3]);
  });

  it('rejects a C of the wrong shape, naming the expected and found shapes', () => {
    const error = thrown(() => gemm(A, B, Tensor.zeros([2, 3])));
    expect(error).toBeInstanceOf(ShapeError);
    expect((error as ShapeError).op).toBe('gemm');
    expect(error.message).toContain('[2, 2]');
    expect(error.message).toContain('[2, 3]');
  });

  it('rejects a matmul out of the wrong shape', () => {
    const error = thrown(() => matmul(A, B, {}, Tensor.zeros([4])));
    expect(error).toBeInstanceOf(ShapeError);
    expect((error as ShapeError).op).toBe('matmul');
    expect(error.message).toContain('[2, 2]');
    expect(error.message).toContain('[4]');
  });

  it.each([
    ['A', Tensor.zeros([6]), B],
    ['B', A, Tensor.zeros([3, 2, 1])],
  ])('rejects a %s that is not 2-D', (name, a, b) => {
    const error = thrown(() => matmul(a, b));
    expect(error).toBeInstanceOf(ShapeError);
    expect(error.message).toContain(`${name} must be 2-D`);
  });

  it('rejects a C that is not 2-D', () => {
    expect(() => gemm(A, B, Tensor.zeros([4]))).toThrow(ShapeError);
  });

  it('rejects a C that shares memory with A through a reshape view', () => {
    const a = Tensor.zeros([2, 2]);
    const error = thrown(() => gemm(a, Tensor.zeros([2, 2]), a.reshape([2, 2])));
    expect(error).toBeInstanceOf(ShapeError);
    expect(error.message).toContain('shares memory');
  });

  it('rejects a C that overlaps B inside one buffer, but accepts disjoint parts of it', () => {
    const buffer = new Float32Array(8);
    const b = new Tensor(buffer.subarray(0, 4), [2, 2]);
    expect(() => gemm(Tensor.zeros([2, 2]), b, new Tensor(buffer.subarray(3, 7), [2, 2]))).toThrow(ShapeError);
    const c = new Tensor(buffer.subarray(4, 8), [2, 2]);
    b.data.set([1, 2, 3, 4]);
    gemm(
      Tensor.fromArray([
        [1, 0],
        [0, 1],
      ]),
      b,
      c,
    );
    expect(Array.from(buffer)).toEqual([1, 2, 3, 4, 1, 2, 3, 4]);
  });

  it('throws a TypeError for arguments that are not tensors', () => {
    const plain = { shape: [2, 2], data: new Float32Array(4) } as unknown as Tensor;
    expect(() => matmul(plain, A)).toThrow(TypeError);
    expect(() => matmul(A, null as unknown as Tensor)).toThrow(TypeError);
    expect(() => gemm(A, B, plain)).toThrow(TypeError);
    expect(() => matmul(A, B, {}, plain)).toThrow(TypeError);
  });
});
