// Type-checked by check-consumer.mjs as universal-consumer.mts (ESM types) and universal-consumer.cts (CommonJS
// types) with "lib": ["es2022"], "types": [], no @types/node and skipLibCheck off: a project that targets neither the
// DOM nor Node.js. The main and testing entries must compile there; every declaration they pull in is checked.
import * as datasets from '@mnist/datasets';
import type * as nn from '@mnist/nn';
import * as nnTesting from '@mnist/nn/testing';
import * as onnx from '@mnist/onnx';
import * as tensor from '@mnist/tensor';
import * as tensorTesting from '@mnist/tensor/testing';

// Without the DOM or Node.js there is no AbortSignal: anything with an `aborted` flag stops `fit`.
const stop = { aborted: false };
const fitOptions: nn.FitOptions = { epochs: 1, signal: stop };

const a = tensor.Tensor.from([1, 2, 3]);
const difference: number = tensor.maxAbsDiff(a, tensor.Tensor.from([1, 2, 4]));

export const used = [
  datasets.parseIdx,
  nnTesting.checkLayer,
  onnx.exportOnnx,
  tensorTesting.checkBackendConformance,
  fitOptions,
  difference,
];
