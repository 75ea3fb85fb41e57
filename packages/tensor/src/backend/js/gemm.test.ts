import { describe, expect, it } from 'vitest';
import { Random } from '../../random.js';
import { gemm } from './gemm.js';

/** The value kept around (and between the rows of) the C window; any change means a write outside it. */
const SENTINEL = 7777;

/** `C = α·op(A)·op(B) + β·C` in float64, straight from the definition. With β = 0 the old C is not read. */
function naiveGemm(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: Float32Array,
  aOffset: number,
  lda: number,
  b: Float32Array,
  bOffset: number,
  ldb: number,
  beta: number,
  c: Float32Array,
  cOffset: number,
  ldc: number,
): { value: Float64Array; bound: Float64Array } {
  const value = new Float64Array(m * n);
  // |α|·Σ|a·b| + |β·c|: the scale that rounding errors are relative to.
  const bound = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      let abs = 0;
      for (let p = 0; p < k; p++) {
        const x = a[aOffset + (transA ? p * lda + i : i * lda + p)];
        const y = b[bOffset + (transB ? j * ldb + p : p * ldb + j)];
        sum += x * y;
        abs += Math.abs(x * y);
      }
      const old = beta === 0 ? 0 : beta * c[cOffset + i * ldc + j];
      value[i * n + j] = alpha * sum + old;
      bound[i * n + j] = Math.abs(alpha) * abs + Math.abs(old);
    }
  }
  return { value, bound };
}

/**
 * A `rows × cols` matrix stored at `offset` with leading dimension `cols + 3`, inside a buffer that has NaN everywhere
 * else: reading outside the logical matrix turns the result into NaN.
 */
function paddedMatrix(rng: Random, rows: number, cols: number) {
  const ld = cols + 3;
  const offset = 5;
  const data = new Float32Array(offset + rows * ld + 7).fill(Number.NaN);
  for (let r = 0; r < rows; r++) {
    for (let s = 0; s < cols; s++) data[offset + r * ld + s] = rng.uniform(-1, 1);
  }
  return { data, offset, ld };
}

/** A `rows × cols` window at `offset` with leading dimension `cols + 2`, with a full sentinel row before and two after. */
function windowedC(rng: Random, rows: number, cols: number, contents: 'random' | 'nan') {
  const ld = cols + 2;
  const offset = ld + 1;
  const data = new Float32Array(offset + rows * ld + 2 * ld + 5).fill(SENTINEL);
  for (let r = 0; r < rows; r++) {
    for (let s = 0; s < cols; s++) data[offset + r * ld + s] = contents === 'nan' ? Number.NaN : rng.uniform(-1, 1);
  }
  return { data, offset, ld };
}

function sameBits(x: Float32Array, y: Float32Array): boolean {
  return x.length === y.length && x.every((v, i) => Object.is(v, y[i]));
}

const TRANSPOSES: [boolean, boolean][] = [
  [false, false],
  [false, true],
  [true, false],
  [true, true],
];

// Odd sizes that are not multiples of the 4×4 micro-tile, 1×N and N×1, depths across the 256 block (KC), widths across
// the 128 block (NC), and empty m, n and k.
const SIZES: [number, number, number][] = [
  [1, 1, 1],
  [1, 17, 5],
  [13, 1, 7],
  [3, 5, 7],
  [4, 4, 4],
  [33, 65, 3],
  [5, 3, 257],
  [7, 129, 13],
  [17, 133, 300],
  [6, 130, 513],
  [1, 257, 1],
  [0, 5, 3],
  [5, 0, 3],
  [5, 3, 0],
  [0, 0, 0],
];

const ALPHAS = [1, 0.5, 0, -2];
const BETAS = [0, 1, 0.25];

describe('gemm kernel: hand-checked', () => {
  // A = [[1, 2, 3],      B = [[ 7,  8],     A·B = [[1·7 + 2·9 + 3·11, 1·8 + 2·10 + 3·12],   = [[ 58,  64],
  //      [4, 5, 6]]           [ 9, 10],             [4·7 + 5·9 + 6·11, 4·8 + 5·10 + 6·12]]      [139, 154]]
  //                           [11, 12]]
  const a = new Float32Array([1, 2, 3, 4, 5, 6]);
  const aT = new Float32Array([1, 4, 2, 5, 3, 6]); // Aᵀ stored as 3×2
  const b = new Float32Array([7, 8, 9, 10, 11, 12]);
  const bT = new Float32Array([7, 9, 11, 8, 10, 12]); // Bᵀ stored as 2×3

  it.each([
    [false, false, a, 3, b, 2],
    [true, false, aT, 2, b, 2],
    [false, true, a, 3, bT, 3],
    [true, true, aT, 2, bT, 3],
  ] as const)('transA=%s transB=%s', (transA, transB, x, lda, y, ldb) => {
    const c = new Float32Array(4).fill(Number.NaN);
    gemm(transA, transB, 2, 2, 3, 1, x, 0, lda, y, 0, ldb, 0, c, 0, 2);
    expect(Array.from(c)).toEqual([58, 64, 139, 154]);
  });

  it('applies α and β: 0.5·A·B + 0.25·C', () => {
    const c = new Float32Array([4, 8, -4, 2]);
    gemm(false, false, 2, 2, 3, 0.5, a, 0, 3, b, 0, 2, 0.25, c, 0, 2);
    // [[29 + 1, 32 + 2], [69.5 − 1, 77 + 0.5]]
    expect(Array.from(c)).toEqual([30, 34, 68.5, 77.5]);
  });

  it('with k = 0 sets C = β·C whatever α is', () => {
    const empty = new Float32Array(0);
    const c = new Float32Array([1, 2, 3, 4]);
    gemm(false, false, 2, 2, 0, 3, empty, 0, 0, empty, 0, 2, 0.25, c, 0, 2);
    expect(Array.from(c)).toEqual([0.25, 0.5, 0.75, 1]);
    gemm(false, false, 2, 2, 0, 3, empty, 0, 0, empty, 0, 2, 1, c, 0, 2);
    expect(Array.from(c)).toEqual([0.25, 0.5, 0.75, 1]);
    c[1] = Number.NaN;
    gemm(false, false, 2, 2, 0, 3, empty, 0, 0, empty, 0, 2, 0, c, 0, 2);
    expect(Array.from(c)).toEqual([0, 0, 0, 0]);
  });

  it('with β = 0 overwrites NaN and Infinity in C without reading them', () => {
    const c = new Float32Array([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NaN]);
    gemm(false, false, 2, 2, 3, 1, a, 0, 3, b, 0, 2, 0, c, 0, 2);
    expect(Array.from(c)).toEqual([58, 64, 139, 154]);
  });

  it('works on a submatrix: offsets and leading dimensions larger than the logical size', () => {
    // A is the 2×3 block at row 1, column 1 of a 4×5 array; B the 3×2 block at row 0, column 2 of a 3×4 array;
    // C the 2×2 block at row 1, column 1 of a 4×3 array of sentinels.
    const big = new Float32Array(20).fill(Number.NaN);
    big.set([1, 2, 3], 6);
    big.set([4, 5, 6], 11);
    const bigB = new Float32Array(12).fill(Number.NaN);
    bigB.set([7, 8], 2);
    bigB.set([9, 10], 6);
    bigB.set([11, 12], 10);
    const c = new Float32Array(12).fill(SENTINEL);
    gemm(false, false, 2, 2, 3, 1, big, 6, 5, bigB, 2, 4, 0, c, 4, 3);
    // biome-ignore format: the 4×3 array as rows
    expect(Array.from(c)).toEqual([
      SENTINEL, SENTINEL, SENTINEL,
      SENTINEL, 58, 64,
      SENTINEL, 139, 154,
      SENTINEL, SENTINEL, SENTINEL,
    ]);
  });
});

describe.each(TRANSPOSES)('gemm kernel against a float64 reference: transA=%s transB=%s', (transA, transB) => {
  it.each(SIZES)('m=%i n=%i k=%i, every α and β, on a submatrix inside sentinels', (m, n, k) => {
    const rng = new Random(1000 * m + 100 * n + k + (transA ? 7 : 0) + (transB ? 13 : 0));
    for (const alpha of ALPHAS) {
      for (const beta of BETAS) {
        const a = paddedMatrix(rng, transA ? k : m, transA ? m : k);
        const b = paddedMatrix(rng, transB ? n : k, transB ? k : n);
        // β = 0 must not read C, so fill its window with NaN: any read shows up in the result.
        const c = windowedC(rng, m, n, beta === 0 ? 'nan' : 'random');
        const aBefore = a.data.slice();
        const bBefore = b.data.slice();
        const expected = naiveGemm(
          transA,
          transB,
          m,
          n,
          k,
          alpha,
          a.data,
          a.offset,
          a.ld,
          b.data,
          b.offset,
          b.ld,
          beta,
          c.data,
          c.offset,
          c.ld,
        );

        gemm(
          transA,
          transB,
          m,
          n,
          k,
          alpha,
          a.data,
          a.offset,
          a.ld,
          b.data,
          b.offset,
          b.ld,
          beta,
          c.data,
          c.offset,
          c.ld,
        );

        const label = `α=${alpha} β=${beta}`;
        for (let index = 0; index < c.data.length; index++) {
          const r = Math.floor((index - c.offset) / c.ld);
          const s = index - c.offset - r * c.ld;
          const inside = index >= c.offset && r < m && s < n;
          if (!inside) {
            if (c.data[index] !== SENTINEL) expect.fail(`${label}: wrote ${c.data[index]} at ${index}, outside C`);
            continue;
          }
          const want = expected.value[r * n + s];
          // float32 output of a float64 accumulation, rounded once per depth block of 256.
          const tolerance = 1e-6 * expected.bound[r * n + s];
          if (!(Math.abs(c.data[index] - want) <= tolerance)) {
            expect.fail(`${label}: C[${r}, ${s}] is ${c.data[index]}, expected ${want} ± ${tolerance}`);
          }
        }
        expect(sameBits(a.data, aBefore), `${label}: A unchanged`).toBe(true);
        expect(sameBits(b.data, bBefore), `${label}: B unchanged`).toBe(true);
      }
    }
  });
});

describe('gemm kernel: state between calls', () => {
  it('gives the same result for a small product before and after a large one', () => {
    const rng = new Random(5);
    const a = Float32Array.from({ length: 3 * 5 }, () => rng.uniform(-1, 1));
    const b = Float32Array.from({ length: 5 * 2 }, () => rng.uniform(-1, 1));
    const first = new Float32Array(6);
    gemm(false, false, 3, 2, 5, 1, a, 0, 5, b, 0, 2, 0, first, 0, 2);

    const bigA = Float32Array.from({ length: 9 * 300 }, () => rng.uniform(-1, 1));
    const bigB = Float32Array.from({ length: 300 * 140 }, () => rng.uniform(-1, 1));
    gemm(false, false, 9, 140, 300, 1, bigA, 0, 300, bigB, 0, 140, 0, new Float32Array(9 * 140), 0, 140);

    const second = new Float32Array(6);
    gemm(false, false, 3, 2, 5, 1, a, 0, 5, b, 0, 2, 0, second, 0, 2);
    expect(Array.from(second)).toEqual(Array.from(first));
  });
});
