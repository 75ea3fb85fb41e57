import { Tensor } from '@mnist/tensor';
import type { Loss, Targets } from '../losses/loss.js';
import type { Model } from '../model.js';
import type { Optimizer } from '../optimizers/optimizer.js';
import type { Sequential } from '../sequential.js';
import { type BatchSource, TensorBatches, targetRange } from './batches.js';
import type { Callback } from './callback.js';
import { checkDataForModel } from './check-data-for-model.js';
import { ConcurrentFitError } from './concurrent-fit-error.js';
import { CorrectCounter } from './correct-count.js';
import { evaluateModel } from './evaluate.js';
import type { EpochLogs, History } from './history.js';
import { NonFiniteLossError } from './non-finite-loss-error.js';
import { trainStep } from './train-step.js';
import { yieldToEventLoop } from './yield-to-event-loop.js';

/**
 * Options of {@link Sequential.fit}.
 *
 * Data given as tensors, `fit(x, y)` and `validationData`, is checked in full before the first step, so that a bad
 * value in the last row fails at once rather than after an epoch of training: the same number of examples in `x` and
 * `y`; `x` shaped for the first layer (a `ShapeError` otherwise); target tensors shaped like the model's output
 * (a `ShapeError`), and class indices integers in `[0, outputs)` for a `[batch, outputs]` model; every input and
 * target value finite (a NaN input would otherwise stop training with a {@link NonFiniteLossError}, or make `valLoss`
 * NaN without a word). The last two raise a {@link TrainingDataError} naming the row. Batches from a
 * {@link BatchSource} arrive one at a time and are not scanned ahead: their problems surface at the step that meets
 * them (a NaN as a `NonFiniteLossError` naming the epoch and batch, before any gradient of that batch is applied).
 */
export interface FitOptions<M extends Model = Sequential> {
  /** Passes over the training data. Default 1. */
  epochs?: number;
  /** Examples per training step with `fit(x, y)`; the last batch of an epoch may be smaller. Default 32. */
  batchSize?: number;
  /** With `fit(x, y)`: reshuffle the examples every epoch, from the model's seeded generator. Default `true`. */
  shuffle?: boolean;
  /**
   * Data to evaluate after every epoch (`valLoss`, `valAccuracy`). Checked before the first step like the training
   * tensors are (see {@link FitOptions}), whether the training data are tensors or a {@link BatchSource}.
   */
  validationData?: readonly [Tensor, Targets];
  /**
   * A fraction in `(0, 1)` of the examples, taken from the end before any shuffling, to hold out for validation
   * instead of `validationData`.
   */
  validationSplit?: number;
  /** Hooks called around epochs and batches. */
  callbacks?: readonly Callback<M>[];
  /**
   * Stops training (after the current batch) once `aborted` is true: an `AbortSignal` from an `AbortController`, or
   * any object with that flag. Typed by the one property read, so the published types need neither the DOM library
   * nor `@types/node`.
   */
  signal?: { readonly aborted: boolean };
  /**
   * Longest stretch, in milliseconds, that training runs without yielding to the event loop, so progress can render
   * and I/O proceeds. Default 50.
   */
  yieldEveryMs?: number;
}

// The models a fit call is training. A WeakSet rather than a flag on the model: it is this loop's bookkeeping, and a
// model that is dropped mid-fit does not stay in it.
const modelsInFit = new WeakSet<Model>();

/** What {@link fitModel} trains with: the loss and the optimizer `compile` chose. @internal */
export interface Training {
  /** The loss each step minimises. */
  readonly loss: Loss;
  /** The optimizer each step updates the parameters with. */
  readonly optimizer: Optimizer;
}

/**
 * The loop behind {@link Sequential.fit}, for any {@link Model}: batches, {@link trainStep}, metrics, validation,
 * callbacks. One call at a time per model: a second one while the first runs rejects with a
 * {@link ConcurrentFitError}. @internal
 */
export async function fitModel<M extends Model>(
  model: M,
  training: Training,
  data: Tensor | BatchSource,
  y: Targets | undefined,
  options: FitOptions<M>,
): Promise<History> {
  // Checked and marked before the first await, so the refusal is immediate and no step of this call ever runs.
  if (modelsInFit.has(model)) throw new ConcurrentFitError();
  modelsInFit.add(model);
  try {
    return await fitLoop(model, training, data, y, options);
  } finally {
    modelsInFit.delete(model);
  }
}

async function fitLoop<M extends Model>(
  model: M,
  { loss, optimizer }: Training,
  data: Tensor | BatchSource,
  y: Targets | undefined,
  options: FitOptions<M>,
): Promise<History> {
  const epochs = options.epochs ?? 1;
  const callbacks = options.callbacks ?? [];
  const yieldEveryMs = options.yieldEveryMs ?? 50;
  checkCount('epochs', epochs, 0);
  if (!(yieldEveryMs >= 0)) throw new RangeError(`fit: yieldEveryMs must be a number ≥ 0, found ${yieldEveryMs}`);
  const { source, validation } = batchSource(model, data, y, options);
  // The batches go where the model is, so its first layer reads them in place.
  source.to?.(model.backend);
  // A validationSplit is a view of the training tensors, which batchSource has checked.
  if (validation && options.validationData) {
    const n = checkDataForModel('fit (validationData)', model, validation[0], validation[1]);
    if (n === 0) throw new RangeError('fit (validationData): there are no examples to validate on');
  }

  const counter = new CorrectCounter();
  const history: History = { epochs: [] };
  model.stopTraining = false;
  for (const c of callbacks) await c.onTrainBegin?.(model);
  let lastYield = performance.now();

  // The largest training batch seen: validation runs in batches of that size.
  let trainingRows = 0;
  for (let epoch = 0; epoch < epochs && !stopped(model, options.signal); epoch++) {
    const started = performance.now();
    for (const c of callbacks) await c.onEpochBegin?.(epoch, model);
    let lossSum = 0;
    let correct = 0;
    let seen = 0;
    let batch = 0;
    let complete = true;
    for (const { x: xb, y: yb } of source.epoch()) {
      if (stopped(model, options.signal)) {
        complete = false;
        break;
      }
      const size = xb.shape[0];
      trainingRows = Math.max(trainingRows, size);
      for (const c of callbacks) await c.onBatchBegin?.(epoch, batch, model);
      let result: ReturnType<typeof trainStep>;
      try {
        result = trainStep(model, loss, optimizer, xb, yb);
      } catch (error) {
        if (error instanceof NonFiniteLossError) throw new NonFiniteLossError(error.value, epoch, batch);
        throw error;
      }
      const batchCorrect = counter.count(result.prediction, yb);
      lossSum += result.loss * size;
      correct += batchCorrect;
      seen += size;
      for (const c of callbacks) {
        await c.onBatchEnd?.({ epoch, batch, size, loss: result.loss, accuracy: batchCorrect / size }, model);
      }
      batch++;
      if (performance.now() - lastYield > yieldEveryMs) {
        await yieldToEventLoop();
        lastYield = performance.now();
      }
    }
    // An epoch cut short by a stop request is incomplete, so it is not logged. One whose last batch asked to stop
    // did train on every batch: it is logged, and the loop ends after it.
    if (!complete) break;
    if (seen === 0) throw new RangeError('fit: an epoch produced no training examples');
    const logs: EpochLogs = {
      epoch,
      loss: lossSum / seen,
      accuracy: correct / seen,
      learningRate: optimizer.currentLearningRate(),
      seconds: 0,
    };
    if (validation) {
      // In batches of the training batch size, whose buffers every layer already holds (a larger inference batch
      // would make each layer keep a second, larger set for the rest of training).
      const result = evaluateModel(model, loss, validation[0], validation[1], {
        batchSize: trainingRows || undefined,
      });
      logs.valLoss = result.loss;
      logs.valAccuracy = result.accuracy;
    }
    logs.seconds = (performance.now() - started) / 1000;
    history.epochs.push(logs);
    for (const c of callbacks) await c.onEpochEnd?.(logs, model);
  }
  for (const c of callbacks) await c.onTrainEnd?.(history, model);
  return history;
}

/** The batches to train on and the data to validate with, from `fit`'s arguments. */
function batchSource(
  model: Model,
  data: Tensor | BatchSource,
  y: Targets | undefined,
  options: FitOptions<Model>,
): { source: BatchSource; validation: readonly [Tensor, Targets] | undefined } {
  if (!(data instanceof Tensor)) {
    if (typeof data?.epoch !== 'function') {
      throw new TypeError(
        'fit: expected (x, y) tensors or a batch source with an epoch() method, such as a BatchLoader',
      );
    }
    if (options.validationSplit !== undefined)
      throw new TypeError('fit: validationSplit needs (x, y); give validationData');
    return { source: data, validation: options.validationData };
  }
  if (y === undefined) throw new TypeError('fit: y is missing; pass the targets of x');
  const batchSize = options.batchSize ?? 32;
  checkCount('batchSize', batchSize, 1);
  let n = checkDataForModel('fit', model, data, y);
  let trainX = data;
  let trainY = y;
  let validation = options.validationData;
  if (options.validationSplit !== undefined) {
    const split = options.validationSplit;
    if (validation) throw new TypeError('fit: give validationData or validationSplit, not both');
    if (!(split > 0 && split < 1)) throw new RangeError(`fit: validationSplit must be in (0, 1), found ${split}`);
    const held = Math.round(n * split);
    if (held === 0 || held === n) {
      throw new RangeError(`fit: validationSplit ${split} of ${n} examples leaves an empty training or validation set`);
    }
    n -= held;
    validation = [data.rows(n, n + held), targetRange(y, n, n + held)];
    trainX = data.rows(0, n);
    trainY = targetRange(y, 0, n);
  }
  if (n === 0) throw new RangeError('fit: there are no training examples');
  const rng = (options.shuffle ?? true) ? model.rng : undefined;
  return { source: new TensorBatches(trainX, trainY, batchSize, rng, model.backend), validation };
}

function stopped(model: Model, signal: FitOptions['signal']): boolean {
  return model.stopTraining || signal?.aborted === true;
}

function checkCount(name: string, value: number, min: number): void {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new RangeError(`fit: ${name} must be an integer ≥ ${min}, found ${value}`);
  }
}
