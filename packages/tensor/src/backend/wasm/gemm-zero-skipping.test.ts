import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Random } from '../../random.js';
import type { Backend } from '../backend.js';
import { jsBackend } from '../js/index.js';
import { createWasmBackend, type WasmBackend, wasmBackendOn } from './index.js';
import { WasmRuntime } from './runtime/runtime.js';

// The wasm gemm multiplies a tile of op(A) that is mostly zeros from lists of its nonzeros, when B is plain and its
// block of columns at least 32 wide. It must give what the dense kernel gives, bit for bit. A transposed B never
// takes that path, so the same product with Bᵀ stored and transB set is the dense kernel's answer.

interface Product {
  transA: boolean;
  m: number;
  n: number;
  k: number;
  alpha: number;
  beta: number;
  /** Extra floats between rows of A, B and C, and before each array's first element. */
  padding: number;
}

/** Values in [-1, 1), each zero with probability `1 − density`, half of the zeros negative. */
function sparse(length: number, density: number, rng: Random): Float32Array {
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++)
    out[i] = rng.uniform(0, 1) < density ? rng.uniform(-1, 1) : rng.uniform(0, 1) < 0.5 ? -0 : 0;
  return out;
}

/** C computed twice, from B (zero skipping allowed) and from Bᵀ (dense), from the same A and initial C. */
function bothWays(gemm: Backend['gemm'], p: Product, a: Float32Array, b: Float32Array, c: Float32Array) {
  const { transA, m, n, k, alpha, beta, padding } = p;
  const lda = (transA ? m : k) + padding;
  const ldb = n + padding;
  const ldbT = k + padding;
  const ldc = n + padding;
  const bT = new Float32Array(padding + n * ldbT);
  for (let i = 0; i < k; i++) for (let j = 0; j < n; j++) bT[padding + j * ldbT + i] = b[padding + i * ldb + j];
  const fromB = c.slice();
  const fromBT = c.slice();
  gemm(transA, false, m, n, k, alpha, a, padding, lda, b, padding, ldb, beta, fromB, padding, ldc);
  gemm(transA, true, m, n, k, alpha, a, padding, lda, bT, padding, ldbT, beta, fromBT, padding, ldc);
  return { fromB, fromBT };
}

/** A, B and C for a product, sized for its strides; A keeps 3 rows readable past its last, as the kernel may read. */
function operands(p: Product, density: number, rng: Random) {
  const { transA, m, n, k, padding } = p;
  const lda = (transA ? m : k) + padding;
  const a = sparse(padding + (transA ? k : m + 3) * lda, density, rng);
  const b = sparse(padding + k * (n + padding), 1, rng);
  const c = sparse(padding + m * (n + padding), 1, rng);
  return { a, b, c };
}

/**
 * The first index where x and y differ in any bit (so -0 and 0 differ), or -1. Any NaN equals any NaN: WebAssembly
 * leaves a NaN's sign and payload to the engine.
 */
function firstDifference(x: Float32Array, y: Float32Array): number {
  const xb = new Uint32Array(x.buffer, x.byteOffset, x.length);
  const yb = new Uint32Array(y.buffer, y.byteOffset, y.length);
  if (xb.length !== yb.length) return 0;
  for (let i = 0; i < xb.length; i++) {
    if (xb[i] !== yb[i] && !(Number.isNaN(x[i]) && Number.isNaN(y[i]))) return i;
  }
  return -1;
}

/** A one-thread gemm, and the count of tiles its zero skipping has computed so far. */
function oneThread(): { gemm: Backend['gemm']; skipped: () => number } {
  const runtime = new WasmRuntime({ threads: 1 });
  return { gemm: wasmBackendOn(runtime).gemm, skipped: () => runtime.plain.exports.ZERO_SKIPPED_TILES.value };
}

const products: Product[] = [];
for (const transA of [false, true]) {
  for (const [m, n, k] of [
    [64, 128, 784], // MNIST's first layer, forward (NN) and weight gradient (TN, as m = 784, k = 64 below)
    [784, 128, 64],
    [12, 37, 300], // 28 columns, two vectors of 4 and a single column; two depth blocks
    [16, 600, 260], // two column blocks (512 + 88)
    [9, 45, 17], // a partial last row tile, which the dense kernel always takes
    [12, 35, 18], // depths 4·4 + 2, columns 28 + 4 + 3
    [8, 47, 259], // depths 256 + 3, columns 28 + 16 + 3
    [16, 51, 19], // columns 28 + 16 + 4 + 3
  ]) {
    products.push({ transA, m, n, k, alpha: 1, beta: 0, padding: 0 });
  }
  products.push({ transA, m: 20, n: 100, k: 513, alpha: -0.75, beta: 0.5, padding: 3 });
  products.push({ transA, m: 8, n: 32, k: 5, alpha: 2, beta: 1, padding: 1 });
}

describe('zero skipping in the wasm gemm', () => {
  it('gives the dense kernel’s result bit for bit, at every density, and does skip the sparse ones', () => {
    const { gemm, skipped } = oneThread();
    const rng = new Random(11);
    for (const product of products) {
      for (const density of [0, 0.05, 0.2, 0.3, 0.45, 0.55, 0.7, 1]) {
        const before = skipped();
        const { a, b, c } = operands(product, density, rng);
        const { fromB, fromBT } = bothWays(gemm, product, a, b, c);
        expect(firstDifference(fromB, fromBT), `${JSON.stringify(product)} at density ${density}`).toBe(-1);
        // Every product here has a full row tile and blocks of 32 columns or more: a sparse one must take the path.
        if (density <= 0.05) expect(skipped(), JSON.stringify(product)).toBeGreaterThan(before);
      }
    }
  });

  it('takes the zero-skipping path for mostly-zero tiles, and the dense one otherwise', () => {
    const { gemm, skipped } = oneThread();
    const rng = new Random(12);
    const product: Product = { transA: false, m: 64, n: 128, k: 784, alpha: 1, beta: 0, padding: 0 };
    let before = skipped();
    const dense = operands(product, 1, rng);
    bothWays(gemm, product, dense.a, dense.b, dense.c);
    expect(skipped()).toBe(before);
    before = skipped();
    const mostlyZeros = operands(product, 0.2, rng);
    bothWays(gemm, product, mostlyZeros.a, mostlyZeros.b, mostlyZeros.c);
    // 16 row tiles in each of 4 depth blocks (the depth is split in two halves of 392, each 256 + 136 deep).
    expect(skipped() - before).toBe(64);
  });

  it('with β = 0 never reads C, and a negative α scales a row of zeros to −0 as the dense kernel does', () => {
    const { gemm } = oneThread();
    const rng = new Random(15);
    for (const transA of [false, true]) {
      const product: Product = { transA, m: 12, n: 64, k: 40, alpha: -0.75, beta: 0, padding: 0 };
      const { a, b } = operands(product, 0.1, rng);
      for (let p = 0; p < 40; p++) a[transA ? p * 12 + 5 : 5 * 40 + p] = 0; // row 5 of op(A): all zeros
      const { fromB, fromBT } = bothWays(gemm, product, a, b, new Float32Array(12 * 64).fill(NaN));
      expect(fromB.some(Number.isNaN)).toBe(false);
      expect(firstDifference(fromB, fromBT)).toBe(-1);
      expect(Object.is(fromB[5 * 64], -0)).toBe(true);
    }
  });

  it('propagates a NaN or an infinity of A as the dense kernel does', () => {
    const { gemm } = oneThread();
    const rng = new Random(16);
    for (const transA of [false, true]) {
      for (const poison of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
        const product: Product = { transA, m: 16, n: 64, k: 40, alpha: 1, beta: 0, padding: 0 };
        const { a, b, c } = operands(product, 0.1, rng);
        a[transA ? 9 * 16 + 2 : 2 * 40 + 9] = poison; // op(A)[2, 9]
        const { fromB, fromBT } = bothWays(gemm, product, a, b, c);
        expect(fromB.subarray(2 * 64, 3 * 64).every((v) => !Number.isFinite(v))).toBe(true);
        expect(firstDifference(fromB, fromBT)).toBe(-1);
      }
    }
  });

  it('never skips a zero of A against an infinity or NaN of B: 0·∞ stays NaN', () => {
    const { gemm } = oneThread();
    const rng = new Random(13);
    for (const poison of [Number.POSITIVE_INFINITY, Number.NaN]) {
      for (const transA of [false, true]) {
        // The poisoned value sits in the second depth block and the second column block, so each block's check counts.
        const [m, n, k] = [16, 600, 300];
        const [row, column] = [280, 550];
        const product: Product = { transA, m, n, k, alpha: 1, beta: 0, padding: 0 };
        const { a, b, c } = operands(product, 0.1, rng);
        // Row `row` of op(B) meets only zeros of op(A) but for row 0 of op(A).
        for (let i = 0; i < m; i++) a[transA ? row * m + i : i * k + row] = 0;
        a[transA ? row * m : row] = 0.5;
        b[row * n + column] = poison;
        const lda = transA ? m : k;
        const actual = c.slice();
        gemm(transA, false, m, n, k, 1, a, 0, lda, b, 0, n, 0, actual, 0, n);
        const expected = c.slice();
        jsBackend.gemm(transA, false, m, n, k, 1, a, 0, lda, b, 0, n, 0, expected, 0, n);
        for (let i = 0; i < m * n; i++) expect(Number.isNaN(actual[i]), `element ${i}`).toBe(Number.isNaN(expected[i]));
        // Row 5 meets the poisoned value only through a zero of A: 0·∞ and 0·NaN are NaN.
        expect(Number.isNaN(actual[5 * n + column])).toBe(true);
      }
    }
  });

  describe('on two threads', () => {
    let one: WasmBackend;
    let two: WasmBackend;
    beforeAll(async () => {
      one = createWasmBackend({ threads: 1 });
      two = createWasmBackend({ threads: 2 });
      expect(await two.ready()).toBe(2);
    });
    afterAll(() => two.dispose());

    it('gives the one-thread result bit for bit on mostly-zero operands, in place and staged', () => {
      const rng = new Random(14);
      for (const product of products.filter((p) => p.m * p.n * p.k >= 1 << 19)) {
        const { transA, m, n, k, alpha, beta, padding } = product;
        const [lda, ldb, ldc] = [(transA ? m : k) + padding, n + padding, n + padding];
        const { a, b, c } = operands(product, 0.2, rng);
        const expected = c.slice();
        one.gemm(transA, false, m, n, k, alpha, a, padding, lda, b, padding, ldb, beta, expected, padding, ldc);
        for (const placed of [false, true]) {
          const place = (x: Float32Array) => {
            if (!placed) return x.slice();
            const y = (two.allocate as (length: number) => Float32Array)(x.length);
            y.set(x);
            return y;
          };
          const actual = place(c);
          two.gemm(
            transA,
            false,
            m,
            n,
            k,
            alpha,
            place(a),
            padding,
            lda,
            place(b),
            padding,
            ldb,
            beta,
            actual,
            padding,
            ldc,
          );
          expect(firstDifference(actual, expected), `${JSON.stringify(product)}, placed: ${placed}`).toBe(-1);
        }
      }
      expect(two.counters.parallelCalls).toBeGreaterThan(0);
    });
  });
});
