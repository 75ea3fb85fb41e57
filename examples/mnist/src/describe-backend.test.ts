import { createWasmBackend, jsBackend, wasmSimdSupported } from '@mnist/tensor';
import { describe, expect, it } from 'vitest';
import { describeBackend } from './describe-backend.js';

describe('describeBackend', () => {
  it('names the reference backend, with the reason it was chosen when there is one', () => {
    expect(describeBackend(jsBackend, undefined)).toBe('backend: js');
    expect(describeBackend(jsBackend, 'wasm-simd unavailable: no WebAssembly SIMD')).toBe(
      'backend: js (wasm-simd unavailable: no WebAssembly SIMD)',
    );
  });

  it.runIf(wasmSimdSupported())('gives the thread count of wasm-simd, and why it is lower than asked', () => {
    const backend = createWasmBackend({ threads: 1, relaxedSimd: false });
    try {
      expect(describeBackend(backend, undefined)).toBe('backend: wasm-simd, 1 thread');
      expect(describeBackend(backend, 'MNIST_THREADS=1')).toBe('backend: wasm-simd, 1 thread (MNIST_THREADS=1)');
      expect(describeBackend({ ...backend, threads: 2, relaxedSimd: false } as typeof backend, undefined)).toBe(
        'backend: wasm-simd, 2 threads',
      );
      expect(describeBackend({ ...backend, threads: 2, relaxedSimd: true } as typeof backend, undefined)).toBe(
        'backend: wasm-simd, 2 threads, relaxed SIMD',
      );
    } finally {
      backend.dispose();
    }
  });
});
