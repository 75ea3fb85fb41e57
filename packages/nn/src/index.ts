/**
 * Layers, losses, optimizers and a {@link Sequential} model that trains, evaluates, predicts, saves and loads, on
 * `@mnist/tensor`. Every layer pairs its forward pass with its backward pass; your own layers implement the same
 * {@link Layer} interface and load through an explicit map, never by registration side effects.
 *
 * @example The original MNIST network: 784 → 128 ReLU → 64 ReLU → 10 softmax, momentum.
 * ```ts
 * import { Dense, Momentum, ReLU, Sequential, Softmax } from '@mnist/nn';
 *
 * const model = new Sequential(
 *   [new Dense(784, 128), new ReLU(), new Dense(128, 64), new ReLU(), new Dense(64, 10), new Softmax()],
 *   { seed: 42 },
 * );
 * model.compile({ loss: 'categoricalCrossEntropy', optimizer: new Momentum({ learningRate: 0.1, momentum: 0.9 }) });
 * console.log(model.summary());
 * // await model.fit(images, labels, { epochs: 10, batchSize: 64, validationSplit: 0.1 });
 * ```
 *
 * @packageDocumentation
 */

export { BufferPool } from './buffer-pool.js';
export { ConfigError } from './config-error.js';
export { INITIALIZERS, type Initializer, initialize } from './initializers.js';
export {
  type Activation,
  type BackwardOptions,
  type ForwardContext,
  type JsonValue,
  type Layer,
  type LayerClass,
  type LayerConfig,
  LayerStateError,
  type LoadContext,
  type StateTensor,
  zeroGrad,
} from './layer.js';
export { ActivationLayer } from './layers/activation-layer.js';
export { AvgPool2D } from './layers/avg-pool2d.js';
export { BatchNorm, type BatchNormOptions } from './layers/batch-norm.js';
export { Conv2D, type Conv2DOptions } from './layers/conv2d.js';
export { Dense, type DenseOptions } from './layers/dense.js';
export { Dropout } from './layers/dropout.js';
export { Flatten } from './layers/flatten.js';
export { GELU } from './layers/gelu.js';
export { LeakyReLU, type LeakyReLUOptions } from './layers/leaky-relu.js';
export { MaxPool2D } from './layers/max-pool2d.js';
export { Pool2D, type Pool2DOptions } from './layers/pool2d.js';
export { ReLU } from './layers/relu.js';
export { Sigmoid } from './layers/sigmoid.js';
export { Softmax } from './layers/softmax.js';
export { Tanh } from './layers/tanh.js';
export { CrossEntropy } from './losses/cross-entropy.js';
export type { Loss, Targets } from './losses/loss.js';
export { LOSS_NAMES, type LossName, lossByName } from './losses/loss-by-name.js';
export { MeanSquaredError } from './losses/mean-squared-error.js';
export { accuracy } from './metrics/accuracy.js';
export { ConfusionMatrix } from './metrics/confusion-matrix.js';
export type { Model } from './model.js';
export { AdaGrad, type AdaGradOptions } from './optimizers/adagrad.js';
export { Adam, type AdamOptions } from './optimizers/adam.js';
export { AdamW, type AdamWOptions } from './optimizers/adamw.js';
export { clipGradNorm } from './optimizers/clip-grad-norm.js';
export { Momentum, type MomentumOptions } from './optimizers/momentum.js';
export type { LearningRate, Optimizer, OptimizerClass, OptimizerState } from './optimizers/optimizer.js';
export { RMSprop, type RMSpropOptions } from './optimizers/rmsprop.js';
export { SGD, type SGDOptions } from './optimizers/sgd.js';
export { SharedOptimizerError } from './optimizers/shared-optimizer-error.js';
export { SlotOptimizer, type SlotOptimizerOptions } from './optimizers/slot-optimizer.js';
export { createParam, type Param } from './param.js';
export {
  constantRate,
  cosineDecay,
  exponentialDecay,
  type LearningRateSchedule,
  stepDecay,
  withWarmup,
} from './schedules/schedule.js';
export {
  type CompileOptions,
  Sequential,
  type SequentialBackwardOptions,
  type SequentialOptions,
} from './sequential.js';
export { type LoadOptions, loadModel } from './serialization/load.js';
export {
  MODEL_FORMAT,
  MODEL_VERSION,
  type ModelFile,
  type SavedLayer,
  type SavedTensor,
  type SavedTraining,
} from './serialization/model-file.js';
export { ModelFormatError } from './serialization/model-format-error.js';
export type { SaveOptions } from './serialization/save.js';
export type { BatchSource, TrainingBatch } from './training/batches.js';
export type { Callback } from './training/callback.js';
export { ConcurrentFitError } from './training/concurrent-fit-error.js';
export { EarlyStopping, type EarlyStoppingOptions } from './training/early-stopping.js';
export type { Evaluation, InferenceOptions } from './training/evaluate.js';
export type { FitOptions } from './training/fit.js';
export type { BatchLogs, EpochLogs, History } from './training/history.js';
export { NonFiniteLossError } from './training/non-finite-loss-error.js';
export { type TrainStepResult, trainStep } from './training/train-step.js';
export { TrainingDataError } from './training/training-data-error.js';
