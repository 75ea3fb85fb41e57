import { defineConfig } from 'vitest/config';

// Tests run straight from each package's src/ through the `@mnist/source` export condition, so no build is needed.
export default defineConfig({
  resolve: { conditions: ['@mnist/source'] },
  ssr: { resolve: { conditions: ['@mnist/source'] } },
  test: {
    environment: 'node',
    projects: [
      {
        extends: true,
        test: {
          name: 'default',
          include: [
            'packages/*/src/**/*.test.ts',
            'examples/*/src/**/*.test.ts',
            'examples/*/e2e/**/*.test.ts',
            'docs/**/*.test.ts',
          ],
        },
      },
      {
        // The wasm-simd backend's fused arithmetic (relaxed SIMD), which the default project's Node.js 20 does not
        // validate: the tests of the products' bits (zero skipping, thread counts, batched products, the layer
        // kernels), the conformance suite, the switch itself and the determinism of training, run again with it on.
        extends: true,
        test: {
          name: 'relaxed-simd',
          include: [
            'packages/tensor/src/backend/wasm/gemm-zero-skipping.test.ts',
            'packages/tensor/src/backend/wasm/gemm-batched.test.ts',
            'packages/tensor/src/backend/wasm/index.test.ts',
            'packages/tensor/src/backend/wasm/layer-kernels.test.ts',
            'packages/tensor/src/backend/wasm/relaxed-simd.test.ts',
            'packages/tensor/src/testing/conformance.test.ts',
            'packages/nn/src/determinism.test.ts',
          ],
          setupFiles: ['./vitest.relaxed-simd.setup.ts'],
        },
      },
    ],
  },
});
