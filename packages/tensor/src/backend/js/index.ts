import type { Backend } from '../backend.js';
import { adagradUpdate } from './adagrad-update.js';
import { adamUpdate } from './adam-update.js';
import { addChannelBias } from './add-channel-bias.js';
import { batchNormBackward, batchNormForward, batchNormStatistics } from './batch-norm.js';
import { crossEntropySum, dot } from './dot.js';
import { dropoutMask } from './dropout-mask.js';
import { add, addRowVector, addScalar, axpy, clamp, div, fill, mul, scale, sub } from './elementwise.js';
import { gatherBytes } from './gather-bytes.js';
import { gatherRows } from './gather-rows.js';
import { gelu, geluBackward } from './gelu.js';
import { gemm } from './gemm.js';
import { gemmBatched } from './gemm-batched.js';
import { col2im, im2col } from './im2col.js';
import { leakyRelu, leakyReluBackward } from './leaky-relu.js';
import { momentumUpdate } from './momentum-update.js';
import { oneHot } from './one-hot.js';
import { avgPool2d, avgPool2dBackward, maxPool2d, maxPool2dBackward } from './pool2d.js';
import { argmaxAxis, maxAxis, sumAxis } from './reduce.js';
import { relu, reluBackward } from './relu.js';
import { rmspropUpdate } from './rmsprop-update.js';
import { sigmoid, sigmoidBackward } from './sigmoid.js';
import { softmaxRows, softmaxRowsBackward } from './softmax-rows.js';
import { tanh, tanhBackward } from './tanh.js';
import { transpose } from './transpose.js';

/**
 * The reference backend: every kernel in plain TypeScript, running unchanged in Node.js and browsers. Other backends
 * are checked against it, and spread it to inherit whatever they do not override.
 */
export const jsBackend: Backend = /* @__PURE__ */ Object.freeze({
  name: 'js',
  gemm,
  gemmBatched,
  add,
  sub,
  mul,
  div,
  scale,
  addScalar,
  clamp,
  axpy,
  fill,
  addRowVector,
  sumAxis,
  maxAxis,
  argmaxAxis,
  transpose,
  softmaxRows,
  softmaxRowsBackward,
  relu,
  reluBackward,
  sigmoid,
  sigmoidBackward,
  tanh,
  tanhBackward,
  leakyRelu,
  leakyReluBackward,
  gelu,
  geluBackward,
  dropoutMask,
  batchNormStatistics,
  batchNormForward,
  batchNormBackward,
  adamUpdate,
  rmspropUpdate,
  adagradUpdate,
  momentumUpdate,
  dot,
  crossEntropySum,
  gatherRows,
  gatherBytes,
  oneHot,
  im2col,
  col2im,
  addChannelBias,
  maxPool2d,
  maxPool2dBackward,
  avgPool2d,
  avgPool2dBackward,
});
