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
  // The entries share one copy of the common code in CommonJS too (tsup splits only ESM by default), so the
  // `OnnxFormatError` that `importOnnxFile` from `@mnist/onnx/node` throws is the one `@mnist/onnx` exports.
  splitting: true,
  treeshake: true,
});
