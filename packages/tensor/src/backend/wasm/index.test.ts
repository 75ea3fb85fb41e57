import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Random } from '../../random.js';
import { backendConformanceCases } from '../../testing/conformance.js';
import { jsBackend } from '../js/index.js';
import { createWasmBackend, threadsSupported, type WasmBackend, wasmBackendOn, wasmSimdSupported } from './index.js';
import { type WasmMemory, webAssembly } from './kernels.js';
import type { KernelInstance } from './runtime/kernel-instance.js';
import { WasmRuntime } from './runtime/runtime.js';

const random = (n: number, rng: Random): Float32Array => {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.uniform(-1, 1);
  return out;
};

it('Node.js 20 has WebAssembly SIMD and worker threads with shared memory', () => {
  expect(wasmSimdSupported()).toBe(true);
  expect(threadsSupported()).toBe(true);
});

describe('the conformance suite on wasm-simd, one thread', () => {
  const backend = createWasmBackend({ threads: 1 });
  for (const c of backendConformanceCases(backend)) it(c.name, c.run);
});

describe('the conformance suite on wasm-simd, two threads', () => {
  const backend = createWasmBackend({ threads: 2 });
  beforeAll(async () => {
    expect(await backend.ready()).toBe(2);
  });
  afterAll(() => backend.dispose());
  for (const c of backendConformanceCases(backend)) it(c.name, c.run);
  it('split the large products over both threads', () => {
    expect(backend.counters.parallelCalls).toBeGreaterThan(0);
    expect(backend.threads).toBe(2);
  });
});

describe('the conformance suite on wasm-simd, arrays in its own memory (the in-place paths)', () => {
  const backend = createWasmBackend({ threads: 2 });
  const allocate = backend.allocate;
  beforeAll(async () => {
    await backend.ready();
  });
  afterAll(() => backend.dispose());
  it('has an allocator where shared memory exists', () => expect(allocate).toBeTypeOf('function'));
  if (allocate) for (const c of backendConformanceCases(backend, { allocate })) it(c.name, c.run);
});

describe("arrays in the backend's memory", () => {
  it('are zeroed, sized, and multiplied in place: no float is copied', () => {
    const backend = createWasmBackend({ threads: 1 });
    const allocate = backend.allocate as (n: number) => Float32Array;
    const [m, n, k] = [20, 30, 40];
    const a = allocate(m * k);
    const b = allocate(k * n);
    const c = allocate(m * n);
    expect([a.length, b.length, c.length]).toEqual([m * k, k * n, m * n]);
    expect(a.every((v) => v === 0)).toBe(true);
    const rng = new Random(6);
    a.set(random(m * k, rng));
    b.set(random(k * n, rng));
    const expected = new Float32Array(m * n);
    jsBackend.gemm(false, false, m, n, k, 1, a, 0, k, b, 0, n, 0, expected, 0, n);
    backend.gemm(false, false, m, n, k, 1, a, 0, k, b, 0, n, 0, c, 0, n);
    expect(backend.counters.floatsIn + backend.counters.floatsOut).toBe(0);
    for (let i = 0; i < c.length; i++) expect(Math.abs(c[i] - expected[i])).toBeLessThan(1e-5);
    // Views into the middle of such arrays work too (the kernels take byte offsets).
    const v = allocate(100);
    v.set(random(100, rng));
    const before = v.slice();
    backend.relu(50, v.subarray(25), v.subarray(25));
    for (let i = 0; i < 100; i++) expect(v[i]).toBe(i >= 25 && i < 75 ? Math.max(before[i], 0) : before[i]);
  });

  it('get the same momentum update from a two-thread backend as from a one-thread one, bit for bit', async () => {
    const one = createWasmBackend({ threads: 1 });
    const two = createWasmBackend({ threads: 2 });
    expect(await two.ready()).toBe(2);
    const n = 100_003; // large, and not a multiple of the vector width
    const rng = new Random(7);
    const [g, v, theta] = [random(n, rng), random(n, rng), random(n, rng)];
    const results = [one, two].map((backend) => {
      const allocate = backend.allocate as (length: number) => Float32Array;
      const [rg, rv, rt] = [allocate(n), allocate(n), allocate(n)];
      rg.set(g);
      rv.set(v);
      rt.set(theta);
      backend.momentumUpdate(n, { learningRate: 0.1, momentum: 0.9, gradScale: 0.1, nesterov: true }, rg, rv, rt);
      return [rv.slice(), rt.slice()];
    });
    two.dispose();
    expect(results[1][0]).toEqual(results[0][0]);
    expect(results[1][1]).toEqual(results[0][1]);
  });

  it('are filled across both threads to the last element, and not past it', async () => {
    const two = createWasmBackend({ threads: 2 });
    expect(await two.ready()).toBe(2);
    const n = 100_003; // large enough to split, and not a multiple of 16
    const array = (two.allocate as (length: number) => Float32Array)(n + 5);
    array.fill(-1);
    two.fill(n, 2.5, array);
    two.dispose();
    expect(array.subarray(0, n).every((v) => v === 2.5)).toBe(true);
    expect([...array.subarray(n)]).toEqual([-1, -1, -1, -1, -1]);
  });

  it('outlive the growth of the memory they live in', () => {
    const backend = createWasmBackend({ threads: 1 });
    const allocate = backend.allocate as (n: number) => Float32Array;
    const first = allocate(1000).fill(7);
    // 64 MB more: the memory grows, and a shared memory's old buffer stays valid.
    const big = allocate(16 << 20);
    expect(big.length).toBe(16 << 20);
    expect(first.length).toBe(1000);
    expect(first.every((v) => v === 7)).toBe(true);
  });

  it('rejects a length that is not an integer ≥ 0', () => {
    const allocate = createWasmBackend({ threads: 1 }).allocate as (n: number) => Float32Array;
    expect(() => allocate(-1)).toThrow(/expected a length that is an integer ≥ 0, found -1/);
  });
});

describe('wasm-simd gemm', () => {
  let one: WasmBackend;
  let two: WasmBackend;
  beforeAll(async () => {
    one = createWasmBackend({ threads: 1 });
    two = createWasmBackend({ threads: 2 });
    await two.ready();
  });
  afterAll(() => two.dispose());

  // The training shapes of the MNIST network and a conv layer, in the forms the layers use them.
  const shapes: [boolean, boolean, number, number, number][] = [
    [false, false, 64, 128, 784],
    [true, false, 784, 128, 64],
    [false, true, 64, 784, 128],
    [false, false, 64, 10, 64],
    [false, false, 32, 784, 400],
    [true, true, 37, 1030, 300],
    // Split along the depth (k ≥ 512, at least twice m and n), in every form; the last is large enough (2²⁰
    // multiply-adds or more) for its halves to run on two threads.
    [true, false, 30, 20, 700],
    [false, true, 30, 20, 700],
    [true, true, 30, 20, 700],
    [true, true, 64, 100, 800],
  ];

  it('gives bit-identical results on one thread and two (no split depends on the thread count)', () => {
    const rng = new Random(3);
    for (const [transA, transB, m, n, k] of shapes) {
      const a = random(m * k, rng);
      const b = random(k * n, rng);
      const c1 = random(m * n, rng);
      const c2 = c1.slice();
      const lda = transA ? m : k;
      const ldb = transB ? k : n;
      one.gemm(transA, transB, m, n, k, 0.5, a, 0, lda, b, 0, ldb, 1, c1, 0, n);
      two.gemm(transA, transB, m, n, k, 0.5, a, 0, lda, b, 0, ldb, 1, c2, 0, n);
      expect(c2).toEqual(c1);
    }
  });

  it('matches the reference within float32 rounding on the training shapes', () => {
    const rng = new Random(4);
    for (const [transA, transB, m, n, k] of shapes) {
      const a = random(m * k, rng);
      const b = random(k * n, rng);
      const expected = new Float32Array(m * n);
      const actual = new Float32Array(m * n);
      const lda = transA ? m : k;
      const ldb = transB ? k : n;
      jsBackend.gemm(transA, transB, m, n, k, 1, a, 0, lda, b, 0, ldb, 0, expected, 0, n);
      two.gemm(transA, transB, m, n, k, 1, a, 0, lda, b, 0, ldb, 0, actual, 0, n);
      // Each term is below 1 in magnitude; float32 accumulation of k of them errs by well under k·2⁻²⁴·√k.
      let worst = 0;
      for (let i = 0; i < actual.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
      expect(worst).toBeLessThan(k * Math.sqrt(k) * 2 ** -24);
    }
  });

  it('counts the floats it copies in and out of WebAssembly memory', () => {
    const backend = createWasmBackend({ threads: 1 });
    const c = new Float32Array(6);
    backend.gemm(false, false, 2, 3, 4, 1, new Float32Array(8), 0, 4, new Float32Array(12), 0, 3, 0, c, 0, 3);
    expect(backend.counters).toEqual({ calls: 1, floatsIn: 20, floatsOut: 6, parallelCalls: 0 });
    backend.gemm(false, false, 2, 3, 4, 1, new Float32Array(8), 0, 4, new Float32Array(12), 0, 3, 1, c, 0, 3);
    expect(backend.counters.floatsIn).toBe(46);
  });
});

describe('worker failure', () => {
  it('finishes the product on the calling thread when a worker stops answering, then runs single-threaded', async () => {
    const runtime = new WasmRuntime({ threads: 2 });
    const engine = wasmBackendOn(runtime);
    const threads = runtime.pool;
    expect(await threads?.started()).toBe(1);
    // Make the worker leave its loop without telling anyone: it will never finish the next job it is given.
    const control = new Int32Array((runtime.shared as KernelInstance).memory.buffer, 0, 32);
    Atomics.store(control, 0, -1);
    Atomics.notify(control, 0);
    await new Promise((resolve) => setTimeout(resolve, 50));

    const rng = new Random(5);
    const [m, n, k] = [64, 128, 784];
    const a = random(m * k, rng);
    const b = random(k * n, rng);
    // β = 1: the lost worker's block must be computed from C as it was, which the worker never wrote to.
    const expected = random(m * n, rng);
    const actual = expected.slice();
    jsBackend.gemm(false, false, m, n, k, 1, a, 0, k, b, 0, n, 1, expected, 0, n);
    const started = performance.now();
    engine.gemm(false, false, m, n, k, 1, a, 0, k, b, 0, n, 1, actual, 0, n);
    // Either the exit event already stopped the pool, or the call waited out the deadline (about a second).
    expect(performance.now() - started).toBeLessThan(5000);
    for (let i = 0; i < actual.length; i++) expect(Math.abs(actual[i] - expected[i])).toBeLessThan(1e-3);
    expect(threads?.failure).toMatch(/did not take its share|exited/);
    expect(threads?.ready()).toBe(0);
    const again = new Float32Array(m * n);
    const once = new Float32Array(m * n);
    engine.gemm(false, false, m, n, k, 1, a, 0, k, b, 0, n, 0, again, 0, n);
    createWasmBackend({ threads: 1 }).gemm(false, false, m, n, k, 1, a, 0, k, b, 0, n, 0, once, 0, n);
    expect(again).toEqual(once);
  });

  it('dispose stops the workers and the backend carries on with one thread', async () => {
    const backend = createWasmBackend({ threads: 2 });
    await backend.ready();
    backend.dispose();
    expect(backend.threads).toBe(1);
    expect(backend.threadFailure).toBe('disposed');
    const c = new Float32Array(4);
    backend.gemm(false, false, 2, 2, 1, 1, new Float32Array([1, 2]), 0, 1, new Float32Array([3, 4]), 0, 2, 0, c, 0, 2);
    expect(Array.from(c)).toEqual([3, 4, 6, 8]);
  });
});

describe('fallbackReason', () => {
  it('is undefined while every requested thread runs, and says so once the worker threads stop', async () => {
    const backend = createWasmBackend({ threads: 2 });
    expect(await backend.ready()).toBe(2);
    expect(backend.fallbackReason).toBeUndefined();
    backend.dispose();
    expect(backend.fallbackReason).toBe('running on 1 thread instead of 2: the worker threads stopped (disposed)');
  });

  it('names the worker failure when a worker thread dies', async () => {
    const backend = createWasmBackend({ threads: 2 });
    expect(await backend.ready()).toBe(2);
    // Arrays in the backend's memory are views of the shared memory, whose first bytes are worker 0's control block: make the
    // worker leave its loop, so its thread ends and the pool hears of it.
    const control = new Int32Array((backend.allocate as (n: number) => Float32Array)(1).buffer, 0, 32);
    Atomics.store(control, 0, -1);
    Atomics.notify(control, 0);
    const started = performance.now();
    while (backend.threadFailure === undefined && performance.now() - started < 5000) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(backend.threads).toBe(1);
    expect(backend.fallbackReason).toMatch(
      /^running on 1 thread instead of 2: the worker threads stopped \(kernel worker 0 exited with code \d+\)$/,
    );
  });

  it('runs on one thread, with the same bits, when only the shared memory cannot be had, and says so', () => {
    const { Module, Instance, validate, Memory } = webAssembly() as NonNullable<ReturnType<typeof webAssembly>>;
    // A plain memory is granted, the shared one (which reserves its whole maximum up front) refused; the probe of a
    // one-page shared memory still succeeds, as it does where the address space is short.
    const Limited = function Limited(descriptor: { initial: number; maximum?: number; shared?: boolean }) {
      if (descriptor.shared && (descriptor.maximum ?? 0) > 1) {
        throw new RangeError('WebAssembly.Memory(): could not allocate memory');
      }
      return new Memory(descriptor);
    };
    vi.stubGlobal('WebAssembly', { Module, Instance, validate, Memory: Limited });
    let backend: WasmBackend;
    try {
      backend = createWasmBackend({ threads: 2 });
    } finally {
      vi.unstubAllGlobals();
    }
    expect(backend.name).toBe('wasm-simd');
    expect(backend.threads).toBe(1);
    expect(backend.allocate).toBeUndefined();
    expect(backend.fallbackReason).toBe(
      'running on 1 thread instead of 2: shared WebAssembly memory could not be created ' +
        '(RangeError: WebAssembly.Memory(): could not allocate memory)',
    );
    const rng = new Random(9);
    const [m, n, k] = [64, 128, 784];
    const [a, b] = [random(m * k, rng), random(k * n, rng)];
    const [c, once] = [new Float32Array(m * n), new Float32Array(m * n)];
    backend.gemm(false, false, m, n, k, 1, a, 0, k, b, 0, n, 0, c, 0, n);
    createWasmBackend({ threads: 1 }).gemm(false, false, m, n, k, 1, a, 0, k, b, 0, n, 0, once, 0, n);
    expect(c).toEqual(once);
  });

  it('reports kernel calls that fell back to the reference because WebAssembly memory could not grow', () => {
    const backend = createWasmBackend({ threads: 1 });
    expect(backend.fallbackReason).toBeUndefined();
    const { Memory } = webAssembly() as NonNullable<ReturnType<typeof webAssembly>>;
    const grow = vi.spyOn((Memory as unknown as { prototype: WasmMemory }).prototype, 'grow').mockImplementation(() => {
      throw new RangeError('WebAssembly.Memory.grow(): Maximum memory size exceeded');
    });
    try {
      // Each needs more than the 2 MiB the backend starts with: a 64 × 64 × 8192 product (4 MiB of operands) and a
      // momentum update of three ordinary arrays of 2¹⁸ floats.
      const rng = new Random(8);
      const [m, n, k] = [64, 64, 8192];
      const [a, b] = [random(m * k, rng), random(k * n, rng)];
      const c = new Float32Array(m * n);
      const expected = new Float32Array(m * n);
      backend.gemm(false, false, m, n, k, 1, a, 0, k, b, 0, n, 0, c, 0, n);
      jsBackend.gemm(false, false, m, n, k, 1, a, 0, k, b, 0, n, 0, expected, 0, n);
      expect(c).toEqual(expected); // the reference's own bits
      const size = 1 << 18;
      for (let i = 0; i < 2; i++) {
        const step = { learningRate: 0.1, momentum: 0.9, gradScale: 0.1, nesterov: false };
        backend.momentumUpdate(size, step, random(size, rng), random(size, rng), random(size, rng));
      }
      // A weight gradient summed over 8 products of 64 × 64 × 1024: each fits in the memory, the batch does not, so it
      // runs one product at a time, adding them in order instead of in two halves.
      const product = { count: 8, transA: false, transB: true, m: 64, n: 64, k: 1024, lda: 1024, ldb: 1024, ldc: 64 };
      const strided = { ...product, strideA: 64 * 1024, strideB: 64 * 1024, strideC: 0 };
      const [x, y] = [random(8 * 64 * 1024, rng), random(8 * 64 * 1024, rng)];
      const sum = new Float32Array(64 * 64);
      backend.gemmBatched(strided, 1, x, y, 0, sum);
      const sumExpected = new Float32Array(64 * 64);
      jsBackend.gemmBatched(strided, 1, x, y, 0, sumExpected);
      for (let i = 0; i < sum.length; i++) expect(Math.abs(sum[i] - sumExpected[i])).toBeLessThan(1e-2);
    } finally {
      grow.mockRestore();
    }
    expect(backend.fallbackReason).toBe(
      'WebAssembly memory could not grow, so 1 gemm and 2 momentumUpdate and 1 gemmBatched calls ran on the ' +
        'reference kernels (or, for a batch of products, one product at a time), whose results differ in the last bits',
    );
  });
});

describe('createWasmBackend', () => {
  it('rejects a thread count that is not a positive integer', () => {
    expect(() => createWasmBackend({ threads: 0 })).toThrow(/expected threads to be an integer ≥ 1, found 0/);
    expect(() => createWasmBackend({ threads: 1.5 })).toThrow(RangeError);
  });
});

it('the committed module bytes are what wasm/kernels.wat assembles to (reproducible build)', () => {
  const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
  const output = execFileSync(process.execPath, [join(packageRoot, 'scripts', 'build-wasm.mjs'), '--check'], {
    encoding: 'utf8',
  });
  expect(output).toMatch(/matches wasm\/kernels\.wat/);
});
