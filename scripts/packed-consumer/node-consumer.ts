// Type-checked by check-consumer.mjs as node-consumer.mts and node-consumer.cts with "lib": ["es2022"] and
// @types/node but no DOM: the `/node` entries are for Node.js and may use its types (AbortSignal, Buffer), which
// their READMEs say.
import * as datasetsNode from '@mnist/datasets/node';
import * as nnNode from '@mnist/nn/node';
import * as onnxNode from '@mnist/onnx/node';

const download: datasetsNode.DownloadOptions = { signal: new AbortController().signal };

export const used = [datasetsNode.loadMnist, nnNode.loadModelFile, onnxNode.importOnnxFile, download];
