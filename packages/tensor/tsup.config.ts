import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', testing: 'src/testing/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  platform: 'neutral',
  // Both entries share one copy of the common code in CommonJS too (tsup splits only ESM by default), so
  // `@mnist/tensor/testing` runs on the same `jsBackend` and `Random` as `@mnist/tensor`.
  splitting: true,
  treeshake: true,
});
