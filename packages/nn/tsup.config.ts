import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', testing: 'src/testing/index.ts', node: 'src/node.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  platform: 'neutral',
  external: [/^node:/],
  // The entries share one copy of the common code in CommonJS too (tsup splits only ESM by default), so the
  // `LayerStateError` a custom layer throws is the one `@mnist/nn/testing` checks for, and `loadModelFile` from
  // `@mnist/nn/node` returns a `Sequential` of `@mnist/nn`.
  splitting: true,
  treeshake: true,
});
