import { Tensor } from '@mnist/tensor';
import type { Targets } from '../losses/loss.js';
import type { Sequential } from '../sequential.js';
import { type BatchSource, checkExamples, rowRange, TensorBatches, targetRange } from './batches.js';
import type { Callback } from './callback.js';
import { CorrectCounter } from './correct-count.js';
import { evaluateModel } from './evaluate.js';
import type { EpochLogs, History } from './history.js';
import { NonFiniteLossError } from './non-finite-loss-error.js';
import { trainStep } from './train-step.js';
import { yieldToEventLoop } from './yield-to-event-loop.js';

/** Options of {@link Sequential.fit}. */
export interface FitOptions {
  /** Passes over the training data. Default 1. */
  epochs?: number;
  /** Examples per training step with `fit(x, y)`; the last batch of an epoch may be smaller. Default 32. */
  batchSize?: number;
  /** With `fit(x, y)`: reshuffle the examples every epoch, from the model's seeded generator. Default `true`. */
  shuffle?: boolean;
  /** Data to evaluate after every epoch (`valLoss`, `valAccuracy`). */
  validationData?: readonly [Tensor, Targets];
  /**
   * A fraction in `(0, 1)` of the examples, taken from the end before any shuffling, to hold out for validation
   * instead of `validationData`.
   */
  validationSplit?: number;
  /** Hooks called around epochs and batches. */
  callbacks?: readonly Callback[];
  /** Stops training (after the current batch) when aborted. */
  signal?: AbortSignal;
  /**
   * Longest stretch, in milliseconds, that training runs without yielding to the event loop, so progress can render
   * and I/O proceeds. Default 50.
   */
  yieldEveryMs?: number;
}

/** The loop behind {@link Sequential.fit}: batches, {@link trainStep}, metrics, validation, callbacks. @internal */
export async function fitModel(
  model: Sequential,
  data: Tensor | BatchSource,
  y: Targets | undefined,
  options: FitOptions,
): Promise<History> {
  const { loss, optimizer } = model.compiled('fit');
  const epochs = options.epochs ?? 1;
  const callbacks = options.callbacks ?? [];
  const yieldEveryMs = options.yieldEveryMs ?? 50;
  checkCount('epochs', epochs, 0);
  if (!(yieldEveryMs >= 0)) throw new RangeError(`fit: yieldEveryMs must be a number ≥ 0, found ${yieldEveryMs}`);
  const { source, validation } = batchSource(model, data, y, options);
  if (validation) checkExamples('fit (validationData)', validation[0], validation[1]);

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
      const result = evaluateModel(model, validation[0], validation[1], { batchSize: trainingRows || undefined });
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
  model: Sequential,
  data: Tensor | BatchSource,
  y: Targets | undefined,
  options: FitOptions,
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
  let n = checkExamples('fit', data, y);
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
    validation = [rowRange(data, n, n + held), targetRange(y, n, n + held)];
    trainX = rowRange(data, 0, n);
    trainY = targetRange(y, 0, n);
  }
  if (n === 0) throw new RangeError('fit: there are no training examples');
  const rng = (options.shuffle ?? true) ? model.rng : undefined;
  return { source: new TensorBatches(trainX, trainY, batchSize, rng), validation };
}

function stopped(model: Sequential, signal: AbortSignal | undefined): boolean {
  return model.stopTraining || signal?.aborted === true;
}

function checkCount(name: string, value: number, min: number): void {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new RangeError(`fit: ${name} must be an integer ≥ ${min}, found ${value}`);
  }
}
