import type { Backend, BatchedProduct } from '../../backend/backend.js';
import type { Random } from '../../random.js';
import { type CaseList, expectExact, f32, random } from './harness.js';

const FORMS = [
  [false, false],
  [true, false],
  [false, true],
  [true, true],
] as const;

const SCALARS = [
  [1, 0],
  [0.5, 1],
  [-2, 0.25],
] as const;

/** How the matrices of a batched product are laid out: one of each per product, or one `A`, `B` or `C` for all. */
type Sharing = 'separate' | 'shared A' | 'shared B' | 'summed C';

/**
 * Adds the cases of `gemm` and `gemmBatched`: products worked out by hand, then seeded random products in every
 * transpose form checked against a float64 product, with operands stored as padded submatrices.
 */
export function addGemmCases(list: CaseList): void {
  addHandGemmCases(list);
  addRandomGemmCases(list);
  addHandGemmBatchedCases(list);
  addRandomGemmBatchedCases(list);
}

function addHandGemmCases(list: CaseList): void {
  const { backend } = list;
  // Hand-checked: [[1, 2, 3], [4, 5, 6]]·[[7, 8], [9, 10], [11, 12]] = [[58, 64], [139, 154]].
  list.add('gemm by hand, 2×3·3×2', () => {
    const c = new Float32Array(4);
    backend.gemm(false, false, 2, 2, 3, 1, f32([1, 2, 3, 4, 5, 6]), 0, 3, f32([7, 8, 9, 10, 11, 12]), 0, 2, 0, c, 0, 2);
    expectExact('C', c, [58, 64, 139, 154]);
    // The same operands stored transposed, with α = 2 and β = 1 over C: C = 2·AB + C.
    backend.gemm(true, true, 2, 2, 3, 2, f32([1, 4, 2, 5, 3, 6]), 0, 2, f32([7, 9, 11, 8, 10, 12]), 0, 3, 1, c, 0, 2);
    expectExact('C', c, [174, 192, 417, 462]);
  });
  list.add('gemm with β = 0 never reads C', () => {
    const c = f32([Number.NaN, Number.NaN]);
    backend.gemm(false, false, 1, 2, 1, 1, f32([2]), 0, 1, f32([3, 4]), 0, 2, 0, c, 0, 2);
    expectExact('C', c, [6, 8]);
  });
  list.add('gemm with k = 0 scales C by β', () => {
    const c = f32([1, 2, 3, 4]);
    backend.gemm(false, false, 2, 2, 0, 1, new Float32Array(0), 0, 0, new Float32Array(0), 0, 2, 0.5, c, 0, 2);
    expectExact('C', c, [0.5, 1, 1.5, 2]);
  });
}

function addRandomGemmCases(list: CaseList): void {
  const shapes: [number, number, number][] = [
    [1, 1, 1],
    [1, 37, 5],
    [37, 1, 5],
    [5, 7, 1],
    [3, 5, 7],
    [13, 17, 19],
    [64, 10, 64],
    [64, 128, 300],
    [33, 129, 17],
    [4, 4, 257],
    // Deep and narrow: the wasm-simd backend computes these as two halves of the depth, added.
    [9, 13, 600],
    [1, 3, 1031],
    [0, 5, 3],
    [5, 0, 3],
  ];
  for (const [m, n, k] of shapes) {
    for (const [transA, transB] of FORMS) {
      for (const [alpha, beta] of SCALARS) {
        const form = `${transA ? 'T' : 'N'}${transB ? 'T' : 'N'}`;
        list.add(`gemm ${form} ${m}×${n}×${k} α=${alpha} β=${beta}`, (rng) =>
          checkGemm(list.backend, rng, transA, transB, m, n, k, alpha, beta),
        );
      }
    }
  }
}

function checkGemm(
  backend: Backend,
  rng: Random,
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  alpha: number,
  beta: number,
): void {
  // Stored operands get a leading dimension 2 wider than needed and a start offset, like a submatrix view.
  const [aRows, aCols] = transA ? [k, m] : [m, k];
  const [bRows, bCols] = transB ? [n, k] : [k, n];
  const lda = aCols + 2;
  const ldb = bCols + 2;
  const ldc = n + 3;
  const a = random(rng, 1 + aRows * lda);
  const b = random(rng, 2 + bRows * ldb);
  const c = random(rng, 3 + m * ldc + 1);
  const before = c.slice();
  backend.gemm(transA, transB, m, n, k, alpha, a, 1, lda, b, 2, ldb, beta, c, 3, ldc);
  for (let i = 0; i < c.length; i++) {
    const row = Math.floor((i - 3) / ldc);
    const col = (i - 3) % ldc;
    const inWindow = i >= 3 && row < m && col < n;
    if (!inWindow) {
      if (!Object.is(c[i], before[i])) throw new Error(`gemm wrote ${c[i]} at C[${i}], outside the ${m}×${n} window`);
      continue;
    }
    let sum = 0;
    let magnitude = 0;
    for (let p = 0; p < k; p++) {
      const x = transA ? a[1 + p * lda + row] : a[1 + row * lda + p];
      const y = transB ? b[2 + col * ldb + p] : b[2 + p * ldb + col];
      sum += x * y;
      magnitude += Math.abs(x * y);
    }
    const expected = alpha * sum + beta * before[i];
    // A float32 dot product of depth k is within about k·2⁻²⁴·Σ|aᵢbᵢ| of the exact value; allow 4× that, plus the
    // rounding of the final store.
    const bound = 4 * (k + 2) * 2 ** -24 * (Math.abs(alpha) * magnitude + Math.abs(beta * before[i])) + 1e-6;
    if (!(Math.abs(c[i] - expected) <= bound)) {
      throw new Error(`C[${row}, ${col}] is ${c[i]}, expected ${expected} ± ${bound.toExponential(2)}`);
    }
  }
}

function addHandGemmBatchedCases(list: CaseList): void {
  const { backend } = list;
  // Packed rows (lda = k, ldb = ldc = n); the strides say where each product's matrices start.
  const product = (count: number, m: number, n: number, k: number, strideA: number, strideB: number, strideC: number) =>
    ({ count, transA: false, transB: false, m, n, k, lda: k, ldb: n, ldc: n, strideA, strideB, strideC }) as const;
  // Product 0 is the 2×3·3×2 of `gemm by hand`; product 1 is [[1, 0, 1], [0, 1, 0]]·[[1, 2], [3, 4], [5, 6]], whose
  // rows are B's rows 0 + 2 and 1: [[6, 8], [3, 4]]. A NaN sits between the two As and the two Bs (strides of 7, not
  // 6), so reading a packed layout poisons the result; the float between the two Cs (stride 5) must stay 99.
  list.add('gemmBatched by hand: two products, strided, β = 0 never reads C', () => {
    const nan = Number.NaN;
    const a = f32([1, 2, 3, 4, 5, 6, nan, 1, 0, 1, 0, 1, 0]);
    const b = f32([7, 8, 9, 10, 11, 12, nan, 1, 2, 3, 4, 5, 6]);
    const c = f32([nan, nan, nan, nan, 99, nan, nan, nan, nan]);
    backend.gemmBatched(product(2, 2, 2, 3, 7, 7, 5), 1, a, b, 0, c);
    expectExact('C', c, [58, 64, 139, 154, 99, 6, 8, 3, 4]);
  });
  // A = [[1, 2], [3, 4]] for both products; B₀ = I gives A, B₁ = [[0, 1], [1, 0]] swaps A's columns. With β = 1 each C
  // keeps its own start: C₀ = A + 10, C₁ = [[2, 1], [4, 3]] + 20.
  list.add('gemmBatched by hand: one A shared by two products (strideA = 0), β = 1 on each C', () => {
    const c = f32([10, 10, 10, 10, 20, 20, 20, 20]);
    backend.gemmBatched(product(2, 2, 2, 2, 0, 4, 4), 1, f32([1, 2, 3, 4]), f32([1, 0, 0, 1, 0, 1, 1, 0]), 1, c);
    expectExact('C', c, [11, 12, 13, 14, 22, 21, 24, 23]);
  });
  // [1, 2]·[[3, 1], [4, 0]] = [11, 1] and [5, 6]·[[7, 0], [8, 1]] = [83, 6], summed into one C = [100, −4] with α = 2,
  // β = 0.5: 2·[94, 7] + 0.5·[100, −4] = [238, 12]. β scales the start once: applied before each product it would
  // give 2·83 + 0.5·(2·11 + 50) = 202 in the first entry; without the sum, C would keep only the last product.
  list.add('gemmBatched by hand: two products summed into one C (strideC = 0), β ≠ 0', () => {
    const summed = product(2, 1, 2, 2, 2, 4, 0);
    const [a, b] = [f32([1, 2, 5, 6]), f32([3, 1, 4, 0, 7, 0, 8, 1])];
    const c = f32([100, -4]);
    backend.gemmBatched(summed, 2, a, b, 0.5, c);
    expectExact('C', c, [238, 12]);
    // With β = 0 the first product overwrites C, NaN included, and the second adds onto it.
    const fresh = f32([Number.NaN, Number.NaN]);
    backend.gemmBatched(summed, 2, a, b, 0, fresh);
    expectExact('C with β = 0', fresh, [188, 14]);
  });
  list.add('gemmBatched with count = 0 writes nothing', () => {
    const c = f32([7, 7]);
    backend.gemmBatched(product(0, 1, 2, 1, 1, 2, 2), 1, f32([1]), f32([1, 1]), 0, c);
    expectExact('C', c, [7, 7]);
  });
}

function addRandomGemmBatchedCases(list: CaseList): void {
  // [m, n, k, count]
  const shapes: [number, number, number, number][] = [
    [1, 1, 1, 1],
    [3, 5, 7, 2],
    [1, 37, 5, 3],
    [37, 1, 5, 2],
    [13, 17, 19, 4],
    // A convolution's weight gradient, Σₙ dyₙ·colₙᵀ: 8 filters, 3·3·3 taps, 10×10 positions, 3 images.
    [8, 27, 100, 3],
    // Deep and narrow: each product runs as two halves of its depth on the wasm-simd backend.
    [9, 13, 600, 2],
    [4, 3, 0, 2],
    [0, 5, 3, 2],
    [5, 0, 3, 2],
  ];
  const sharings: Sharing[] = ['separate', 'shared A', 'shared B', 'summed C'];
  for (const [m, n, k, count] of shapes) {
    for (const sharing of sharings) {
      FORMS.forEach(([transA, transB], f) => {
        // Each sharing meets every pair of scalars across the four forms.
        const [alpha, beta] = SCALARS[f % SCALARS.length];
        const form = `${transA ? 'T' : 'N'}${transB ? 'T' : 'N'}`;
        list.add(`gemmBatched ${form} ${m}×${n}×${k} ×${count} ${sharing} α=${alpha} β=${beta}`, (rng) =>
          checkGemmBatched(list.backend, rng, batchedProduct(transA, transB, m, n, k, count, sharing), alpha, beta),
        );
      });
    }
  }
}

/** A product whose matrices are padded submatrices (row strides wider than needed) with a gap between matrices. */
function batchedProduct(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  count: number,
  sharing: Sharing,
): BatchedProduct {
  const [aRows, aCols] = transA ? [k, m] : [m, k];
  const [bRows, bCols] = transB ? [n, k] : [k, n];
  const [lda, ldb, ldc] = [aCols + 2, bCols + 2, n + 3];
  return {
    count,
    transA,
    transB,
    m,
    n,
    k,
    lda,
    ldb,
    ldc,
    strideA: sharing === 'shared A' ? 0 : aRows * lda + 1,
    strideB: sharing === 'shared B' ? 0 : bRows * ldb + 1,
    strideC: sharing === 'summed C' ? 0 : m * ldc + 2,
  };
}

/** Floats from the first matrix's start to the last one's end, `count` matrices of `rows` rows `stride` apart. */
function extent(count: number, stride: number, rows: number, ld: number): number {
  return count === 0 ? 0 : (count - 1) * stride + rows * ld;
}

/**
 * Runs `gemmBatched` on random operands (views starting 1, 2 and 3 floats into their arrays) and checks every float
 * of C against a float64 evaluation, or, outside every `Cᵢ`, that it is untouched; A and B must be left as they were.
 */
function checkGemmBatched(backend: Backend, rng: Random, product: BatchedProduct, alpha: number, beta: number): void {
  const { count, transA, transB, m, n, k, lda, ldb, ldc, strideA, strideB, strideC } = product;
  const a = random(rng, 1 + extent(count, strideA, transA ? k : m, lda)).subarray(1);
  const b = random(rng, 2 + extent(count, strideB, transB ? n : k, ldb)).subarray(2);
  const cLength = extent(count, strideC, m, ldc);
  const whole = random(rng, 3 + cLength + 1);
  const [aBefore, bBefore, before] = [a.slice(), b.slice(), whole.slice()];
  backend.gemmBatched(product, alpha, a, b, beta, whole.subarray(3, 3 + cLength));
  expectExact('A (an input)', a, Array.from(aBefore));
  expectExact('B (an input)', b, Array.from(bBefore));
  const products = strideC === 0 ? count : 1;
  for (let i = 0; i < whole.length; i++) {
    const offset = i - 3;
    const first = strideC === 0 ? 0 : Math.floor(offset / strideC);
    const row = Math.floor((offset - first * strideC) / ldc);
    const col = (offset - first * strideC) % ldc;
    if (!(offset >= 0 && offset < cLength && first < count && row < m && col < n)) {
      if (!Object.is(whole[i], before[i])) {
        throw new Error(`gemmBatched wrote ${whole[i]} at C[${offset}], outside every ${m}×${n} Cᵢ`);
      }
      continue;
    }
    let sum = 0;
    let magnitude = 0;
    for (let p = first; p < first + products; p++) {
      for (let q = 0; q < k; q++) {
        const x = transA ? a[p * strideA + q * lda + row] : a[p * strideA + row * lda + q];
        const y = transB ? b[p * strideB + col * ldb + q] : b[p * strideB + q * ldb + col];
        sum += x * y;
        magnitude += Math.abs(x * y);
      }
    }
    const expected = alpha * sum + beta * before[i];
    // The bound of `checkGemm`, for a sum of depth `products·k` plus one rounding per product added onto C.
    const depth = products * (k + 1);
    const bound = 4 * (depth + 2) * 2 ** -24 * (Math.abs(alpha) * magnitude + Math.abs(beta * before[i])) + 1e-6;
    if (!(Math.abs(whole[i] - expected) <= bound)) {
      const where = `C${strideC === 0 ? '' : first}[${row}, ${col}]`;
      throw new Error(`${where} is ${whole[i]}, expected ${expected} ± ${bound.toExponential(2)}`);
    }
  }
}
