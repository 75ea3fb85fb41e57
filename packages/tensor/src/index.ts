/**
 * Float32Array tensors and the kernels a neural network spends its time in: gemm with transposes, broadcasting,
 * reductions, softmax, activations (ReLU, leaky ReLU, sigmoid, tanh, GELU) and their gradients, dropout masks, fused
 * optimizer updates (Adam, RMSprop, AdaGrad), one-hot, im2col and pooling, plus a seeded random generator.
 *
 * Two levels, as in a good BLAS: the **ops** exported here check shapes once and allocate an output only when you
 * do not pass one; below them, a {@link Backend} of unchecked **kernels** never allocates and writes into arrays you
 * own. The reference backend {@link jsBackend} is plain TypeScript that runs unchanged in Node.js and browsers; a faster
 * backend overrides only the kernels it speeds up, and `@mnist/tensor/testing` checks it against the reference.
 *
 * @example
 * ```ts
 * import { Random, Tensor, addRowVector, matmul, randomNormal, relu, softmax } from '@mnist/tensor';
 *
 * const rng = new Random(42);
 * const x = randomNormal([64, 784], rng);                      // a batch of 64 inputs
 * const weight = randomNormal([784, 128], rng, 0, Math.sqrt(1 / 784));
 * const bias = Tensor.zeros([128]);
 * const hidden = relu(addRowVector(matmul(x, weight), bias)); // [64, 128]
 * const probabilities = softmax(hidden);                      // each row sums to 1
 * ```
 *
 * @packageDocumentation
 */

export type {
  AdaGradStep,
  AdamStep,
  Backend,
  BatchedProduct,
  BatchNormBackwardStep,
  ChannelLayout,
  ImageWindow,
  MomentumStep,
  RMSpropStep,
} from './backend/backend.js';
export { backendFallbackReason, defaultBackend, getBackend, KERNELS, setBackend } from './backend/current.js';
export { jsBackend } from './backend/js/index.js';
export type { WasmGemmCounters } from './backend/wasm/gemm.js';
export {
  createWasmBackend,
  defaultThreadCount,
  relaxedSimdSupported,
  threadsSupported,
  type WasmBackend,
  type WasmBackendOptions,
  WorkerThreadError,
  wasmSimdSupported,
} from './backend/wasm/index.js';
export { allClose, assertClose, maxAbsDiff, type Tolerance } from './compare.js';
export { type AdaGradUpdateOptions, adagradUpdate } from './ops/adagrad-update.js';
export { type AdamUpdateOptions, adamUpdate } from './ops/adam-update.js';
export { addChannelBias } from './ops/add-channel-bias.js';
export {
  type BatchNormBackwardOptions,
  type BatchNormOptions,
  type BatchNormStatistics,
  batchNorm,
  batchNormBackward,
  batchNormStatistics,
} from './ops/batch-norm.js';
export { crossEntropy, dot } from './ops/dot.js';
export { dropoutMask } from './ops/dropout-mask.js';
export { add, addRowVector, addScalar, axpy, clamp, div, mul, scale, sub } from './ops/elementwise.js';
export { gatherBytes } from './ops/gather-bytes.js';
export { gatherRows } from './ops/gather-rows.js';
export { gelu, geluBackward } from './ops/gelu.js';
export { type GemmOptions, gemm, matmul } from './ops/gemm.js';
export { gemmBatched } from './ops/gemm-batched.js';
export { type ConvWindow, col2im, im2col } from './ops/im2col.js';
export { convOutputSize, type SizePair } from './ops/image-window.js';
export { leakyRelu, leakyReluBackward } from './ops/leaky-relu.js';
export { type MomentumUpdateOptions, momentumUpdate } from './ops/momentum-update.js';
export { oneHot } from './ops/one-hot.js';
export { PlacementError } from './ops/placement.js';
export {
  avgPool2d,
  avgPool2dBackward,
  maxPool2d,
  maxPool2dBackward,
  type PoolWindow,
  poolIndices,
  poolOutputShape,
} from './ops/pool2d.js';
export { randomNormal, randomUniform } from './ops/random.js';
export { argmax, max, mean, sum } from './ops/reduce.js';
export { relu, reluBackward } from './ops/relu.js';
export { type RMSpropUpdateOptions, rmspropUpdate } from './ops/rmsprop-update.js';
export { sigmoid, sigmoidBackward } from './ops/sigmoid.js';
export { softmax, softmaxBackward } from './ops/softmax.js';
export { tanh, tanhBackward } from './ops/tanh.js';
export { transpose } from './ops/transpose.js';
export { Random } from './random.js';
export { broadcastShapes, formatShape, type Shape, shapeSize, shapesEqual } from './shape.js';
export { ShapeError } from './shape-error.js';
export { type NestedArray, Tensor } from './tensor.js';
