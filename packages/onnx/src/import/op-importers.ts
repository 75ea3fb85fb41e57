import {
  importDropout,
  importGelu,
  importIdentity,
  importLeakyRelu,
  importRelu,
  importSigmoid,
  importSoftmax,
  importTanh,
} from './import-activations.js';
import { importBatchNormalization } from './import-batch-norm.js';
import { importConv } from './import-conv.js';
import { importGemm, importMatMul } from './import-dense.js';
import { importFlatten, importReshape } from './import-flatten.js';
import { importAveragePool, importMaxPool } from './import-pool.js';
import type { OpImporter } from './import-step.js';

/**
 * How each ONNX operator of the default domain imports, by its `op_type`, with the first opset it exists in. The
 * elementwise operators of a GELU formula (`Erf`, `Mul`, …) are recognised as a group by `importGeluFormula`.
 * @internal
 */
export const OP_IMPORTERS: ReadonlyMap<string, { readonly since: number; readonly importer: OpImporter }> = new Map([
  ['Gemm', { since: 1, importer: importGemm }],
  ['MatMul', { since: 1, importer: importMatMul }],
  ['Conv', { since: 1, importer: importConv }],
  ['BatchNormalization', { since: 1, importer: importBatchNormalization }],
  ['MaxPool', { since: 1, importer: importMaxPool }],
  ['AveragePool', { since: 1, importer: importAveragePool }],
  ['Flatten', { since: 1, importer: importFlatten }],
  ['Reshape', { since: 5, importer: importReshape }],
  ['Relu', { since: 1, importer: importRelu }],
  ['LeakyRelu', { since: 1, importer: importLeakyRelu }],
  ['Sigmoid', { since: 1, importer: importSigmoid }],
  ['Tanh', { since: 1, importer: importTanh }],
  ['Gelu', { since: 20, importer: importGelu }],
  ['Softmax', { since: 1, importer: importSoftmax }],
  ['Dropout', { since: 1, importer: importDropout }],
  ['Identity', { since: 1, importer: importIdentity }],
]);
