import { afterEach, describe, expect, it } from 'vitest';
import { defaultBackend } from '../current.js';
import { jsBackend } from '../js/index.js';
import { createWasmBackend, relaxedSimdSupported, type WasmBackend } from './index.js';

// Runs in both test projects: the default one (Node.js 20 without relaxed SIMD) and `relaxed-simd` (with it, see
// vitest.config.ts), so each branch below runs in one of them.

const created: WasmBackend[] = [];
afterEach(() => {
  for (const backend of created.splice(0)) backend.dispose();
  delete process.env.MNIST_RELAXED_SIMD;
});
function backendWith(options: Parameters<typeof createWasmBackend>[0]): WasmBackend {
  const backend = createWasmBackend(options);
  created.push(backend);
  return backend;
}

/**
 * C = A·B for a 4 × 8 × 2 product whose fused and unfused sums differ: every element is 1·(−1) + (1 + 2⁻¹²)², whose
 * exact value 2⁻¹¹ + 2⁻²⁴ float32 holds; a separate multiply first rounds (1 + 2⁻¹²)² = 1 + 2⁻¹¹ + 2⁻²⁴ to 1 + 2⁻¹¹
 * (a tie, to even), leaving 2⁻¹¹.
 */
function fusedOrNot(backend: WasmBackend): number {
  const x = 1 + 2 ** -12;
  const a = Float32Array.from({ length: 8 }, (_, i) => (i % 2 === 0 ? 1 : x));
  const b = Float32Array.from({ length: 16 }, (_, i) => (i < 8 ? -1 : x));
  const c = new Float32Array(32);
  backend.gemm(false, false, 4, 8, 2, 1, a, 0, 2, b, 0, 8, 0, c, 0, 8);
  expect(new Set(c).size).toBe(1);
  return c[0];
}

describe('relaxed SIMD on the wasm-simd backend', () => {
  it('keeps the exact arithmetic when asked, whatever the engine: separate multiplies and adds', () => {
    const exact = backendWith({ threads: 1, relaxedSimd: false });
    expect(exact.relaxedSimd).toBe(false);
    expect(fusedOrNot(exact)).toBe(2 ** -11);
  });

  it('rejects a relaxedSimd that is not a boolean', () => {
    expect(() => createWasmBackend({ relaxedSimd: 'yes' as unknown as boolean })).toThrow(
      /expected relaxedSimd to be a boolean, found yes/,
    );
  });

  it('rejects MNIST_RELAXED_SIMD values other than 0 and 1', () => {
    process.env.MNIST_RELAXED_SIMD = 'on';
    expect(() => defaultBackend()).toThrow("MNIST_RELAXED_SIMD: expected '0' or '1', found 'on'");
    process.env.MNIST_RELAXED_SIMD = '0';
    const backend = defaultBackend() as WasmBackend;
    created.push(backend);
    expect(backend.relaxedSimd).toBe(false);
  });

  it.runIf(!relaxedSimdSupported())('where the engine lacks it: exact by default, and an error when asked for', () => {
    const backend = backendWith({ threads: 1 });
    expect(backend.relaxedSimd).toBe(false);
    expect(() => createWasmBackend({ relaxedSimd: true })).toThrow(
      /relaxedSimd is true, but this JavaScript engine does not validate WebAssembly relaxed SIMD/,
    );
    process.env.MNIST_RELAXED_SIMD = '1';
    expect(() => defaultBackend()).toThrow(/MNIST_RELAXED_SIMD=1, but this JavaScript engine does not validate/);
  });

  it.runIf(relaxedSimdSupported())('where the engine has it: on by default, fused, close to the reference', () => {
    const backend = backendWith({ threads: 2 });
    expect(backend.relaxedSimd).toBe(true);
    process.env.MNIST_RELAXED_SIMD = '1';
    const fromEnvironment = defaultBackend() as WasmBackend;
    created.push(fromEnvironment);
    expect(fromEnvironment.relaxedSimd).toBe(true);
    // x86-64 processors with FMA3 (Intel since 2013, AMD since 2012) and every 64-bit Arm fuse; the test machines do.
    expect(fusedOrNot(backend)).toBe(2 ** -11 + 2 ** -24);
    // A deep product: within float32 rounding of the float64 reference, like the exact module.
    const [m, n, k] = [32, 196, 400];
    const a = Float32Array.from({ length: m * k }, (_, i) => Math.sin(i));
    const b = Float32Array.from({ length: k * n }, (_, i) => Math.cos(i));
    const fused = new Float32Array(m * n);
    const reference = new Float32Array(m * n);
    backend.gemm(false, false, m, n, k, 1, a, 0, k, b, 0, n, 0, fused, 0, n);
    jsBackend.gemm(false, false, m, n, k, 1, a, 0, k, b, 0, n, 0, reference, 0, n);
    for (let i = 0; i < m * n; i++) expect(Math.abs(fused[i] - reference[i])).toBeLessThan(1e-4);
  });
});
