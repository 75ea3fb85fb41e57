/**
 * ONNX export and import for `@mnist/nn` models. {@link exportOnnx} writes a model as the bytes of an ONNX file that
 * ONNX Runtime (on a server, a phone or a GPU), PyTorch's tools and other runtimes load; {@link importOnnx} turns an
 * ONNX file, such as one PyTorch exported, into a `Sequential` that predicts, fine-tunes with this library's
 * optimizers, saves and loads. Runs in browsers; `@mnist/onnx/node` adds file helpers.
 *
 * @example Export, then import back: the same predictions, bit for bit.
 * ```ts
 * import { Dense, ReLU, Sequential, Softmax } from '@mnist/nn';
 * import { exportOnnx, importOnnx } from '@mnist/onnx';
 * import { Random, randomNormal } from '@mnist/tensor';
 *
 * const model = new Sequential([new Dense(784, 64), new ReLU(), new Dense(64, 10), new Softmax()], { seed: 1 });
 * const bytes = exportOnnx(model);
 * const copy = importOnnx(bytes);
 * const x = randomNormal([4, 784], new Random(2));
 * console.log(copy.predict(x).data.every((v, i) => v === model.predict(x).data[i])); // true
 * ```
 *
 * @packageDocumentation
 */

export { ErfGELU, ONNX_LAYERS } from './erf-gelu.js';
export { type ExportOnnxOptions, exportOnnx, PRODUCER_NAME } from './export/export-onnx.js';
export type { OnnxExportable } from './export/onnx-exportable.js';
export { type OnnxAttribute, OnnxGraph } from './export/onnx-graph.js';
export { type ImportOnnxOptions, importOnnx } from './import/import-onnx.js';
export { OnnxError, type OnnxLocation } from './onnx-error.js';
export { OnnxExportError } from './onnx-export-error.js';
export { OnnxFormatError } from './onnx-format-error.js';
export { DEFAULT_EXPORT_OPSET, MAX_OPSET, MIN_EXPORT_OPSET, MIN_IMPORT_OPSET } from './opset.js';
export { UnsupportedOnnxError } from './unsupported-onnx-error.js';
