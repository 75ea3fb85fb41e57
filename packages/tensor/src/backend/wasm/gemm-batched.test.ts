import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Random } from '../../random.js';
import type { BatchedProduct } from '../backend.js';
import { jsBackend } from '../js/index.js';
import { createWasmBackend, type WasmBackend, wasmBackendOn } from './index.js';
import { WasmRuntime } from './runtime/runtime.js';

// The wasm gemmBatched runs a whole batch in one call, its products shared out to the threads in runs, and a summed
// batch in two halves added at the end. Its result must not depend on the thread count or on where the operands are,
// and must agree with the reference up to float32 rounding.

/** The forms a convolution uses: per-image products with a shared weight, and a weight gradient summed over images. */
function forms(count: number, m: number, n: number, k: number): [string, BatchedProduct][] {
  const base = { count, m, n, k, ldc: n };
  return [
    [
      'forward: shared A, separate B and C',
      { ...base, transA: false, transB: false, lda: k, ldb: n, strideA: 0, strideB: k * n, strideC: m * n },
    ],
    [
      'weight gradient: separate A and B, summed C (Bᵀ)',
      { ...base, transA: false, transB: true, lda: k, ldb: k, strideA: m * k, strideB: n * k, strideC: 0 },
    ],
    [
      'input gradient: shared Aᵀ, separate B and C',
      { ...base, transA: true, transB: false, lda: m, ldb: n, strideA: 0, strideB: k * n, strideC: m * n },
    ],
  ];
}

/** Random values in [-1, 1), a third of them zero (as after a ReLU), with `slack` more floats readable past the end. */
function values(length: number, rng: Random, slack = 0): Float32Array {
  const out = new Float32Array(length + slack);
  for (let i = 0; i < length; i++) out[i] = rng.uniform(0, 1) < 1 / 3 ? 0 : rng.uniform(-1, 1);
  return out;
}

function operandsOf(p: BatchedProduct, rng: Random) {
  const aMatrix = p.transA ? p.k * p.lda : p.m * p.lda;
  const bMatrix = p.transB ? p.n * p.ldb : p.k * p.ldb;
  const a = values((p.strideA === 0 ? 1 : p.count) * aMatrix, rng, 4 * p.lda);
  const b = values((p.strideB === 0 ? 1 : p.count) * bMatrix, rng);
  const c = values((p.strideC === 0 ? 1 : p.count) * p.m * p.n, rng);
  return { a, b, c };
}

function firstDifference(x: Float32Array, y: Float32Array): number {
  for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) return i;
  return -1;
}

describe('gemmBatched on the wasm-simd backend', () => {
  let one: WasmBackend;
  let two: WasmBackend;
  beforeAll(async () => {
    one = createWasmBackend({ threads: 1 });
    // Never holding back from sharing, however busy the machine running the tests: each case must take the split path.
    two = wasmBackendOn(new WasmRuntime({ threads: 2, tuning: { THREAD_LATE_MS: Number.POSITIVE_INFINITY } }));
    expect(await two.ready()).toBe(2);
  });
  afterAll(() => {
    one.dispose();
    two.dispose();
  });

  // 16 products of 16 × 196 × 100: large enough as a batch to be shared with the worker, each one too small alone.
  for (const [name, product] of forms(16, 16, 196, 100)) {
    for (const beta of [0, 1]) {
      it(`${name}, β = ${beta}: one thread and two, placed or not, give the same bits, near the reference`, () => {
        const rng = new Random(21);
        const { a, b, c } = operandsOf(product, rng);
        const expected = c.slice();
        one.gemmBatched(product, 0.5, a, b, beta, expected);
        const before = two.counters.parallelCalls;
        for (const placed of [false, true]) {
          const place = (x: Float32Array) => {
            if (!placed) return x.slice();
            const y = (two.allocate as (length: number) => Float32Array)(x.length);
            y.set(x);
            return y;
          };
          const actual = place(c);
          two.gemmBatched(product, 0.5, place(a), place(b), beta, actual);
          expect(firstDifference(actual, expected), placed ? 'placed' : 'staged').toBe(-1);
        }
        expect(two.counters.parallelCalls).toBeGreaterThan(before);
        const reference = c.slice();
        jsBackend.gemmBatched(product, 0.5, a, b, beta, reference);
        let worst = 0;
        for (let i = 0; i < reference.length; i++) worst = Math.max(worst, Math.abs(reference[i] - expected[i]));
        expect(worst).toBeLessThan(1e-3);
      });
    }
  }

  it('leaves the gaps between strided products untouched, and with β = 0 never reads C', () => {
    const rng = new Random(22);
    const [m, n, k, count, gap] = [5, 7, 9, 4, 3];
    const product: BatchedProduct = {
      count,
      transA: false,
      transB: false,
      m,
      n,
      k,
      lda: k,
      ldb: n,
      ldc: n,
      strideA: m * k,
      strideB: k * n,
      strideC: m * n + gap,
    };
    const { a, b } = operandsOf({ ...product, strideC: m * n }, rng);
    for (const backend of [one, two]) {
      const c = new Float32Array(count * (m * n + gap)).fill(Number.NaN);
      backend.gemmBatched(product, 1, a, b, 0, c);
      for (let i = 0; i < count; i++) {
        const start = i * (m * n + gap);
        expect(c.subarray(start, start + m * n).every(Number.isFinite), `product ${i}`).toBe(true);
        expect(c.subarray(start + m * n, start + m * n + gap).every(Number.isNaN), `gap ${i}`).toBe(true);
      }
    }
  });
});
