import { Tensor } from '@mnist/tensor';
import type { Loss, Targets } from '../losses/loss.js';
import type { Model } from '../model.js';
import type { Sequential } from '../sequential.js';
import { type BatchSource, checkExamples, targetRange } from './batches.js';
import { CorrectCounter } from './correct-count.js';

/** Options of {@link Sequential.evaluate} and {@link Sequential.predict}. */
export interface InferenceOptions {
  /** Examples per forward pass; only memory depends on it. Default 256. */
  batchSize?: number;
}

/** What {@link Sequential.evaluate} returns. */
export interface Evaluation {
  /** The mean loss over all examples. */
  loss: number;
  /** The fraction of examples whose highest-scoring class is the target class. */
  accuracy: number;
}

/** The mean loss and accuracy of a compiled model on `x`, `y`, in inference mode. @internal */
export function evaluateModel(model: Model, loss: Loss, x: Tensor, y: Targets, options: InferenceOptions): Evaluation {
  const n = checkExamples('evaluate', x, y);
  // A mean over no examples is 0/0: say so, as evaluateBatches does, rather than return NaN.
  if (n === 0) throw new RangeError('evaluate: x has no examples');
  const batchSize = checkBatchSize('evaluate', options.batchSize);
  const counter = new CorrectCounter();
  let lossSum = 0;
  let correct = 0;
  for (let start = 0; start < n; start += batchSize) {
    const end = Math.min(n, start + batchSize);
    const prediction = model.forward(x.rows(start, end));
    const targets = targetRange(y, start, end);
    lossSum += loss.forward(prediction, targets) * (end - start);
    correct += counter.count(prediction, targets);
  }
  return { loss: lossSum / n, accuracy: correct / n };
}

/**
 * The mean loss and accuracy of a compiled model over one epoch of a batch source, in inference mode: a test set kept
 * as bytes is evaluated a batch at a time, never held as one float tensor. @internal
 */
export function evaluateBatches(model: Model, loss: Loss, batches: BatchSource): Evaluation {
  if (batches === null || typeof batches !== 'object' || typeof batches.epoch !== 'function') {
    throw new TypeError('evaluate: expected a Tensor and targets, or a BatchSource with an epoch() method');
  }
  // As in fit: the batches go where the model is.
  batches.to?.(model.backend);
  const counter = new CorrectCounter();
  let n = 0;
  let lossSum = 0;
  let correct = 0;
  for (const batch of batches.epoch()) {
    const size = checkExamples('evaluate', batch.x, batch.y);
    const prediction = model.forward(batch.x);
    lossSum += loss.forward(prediction, batch.y) * size;
    correct += counter.count(prediction, batch.y);
    n += size;
  }
  if (n === 0) throw new RangeError('evaluate: the batch source yielded no examples');
  return { loss: lossSum / n, accuracy: correct / n };
}

/** The model's outputs for every row of `x`, in inference mode, in a new tensor. @internal */
export function predictModel(model: Model, x: Tensor, options: InferenceOptions): Tensor {
  if (!(x instanceof Tensor) || x.rank < 1) throw new TypeError('predict: x must be a Tensor with a batch dimension');
  const n = x.shape[0];
  const batchSize = checkBatchSize('predict', options.batchSize);
  let result: Tensor | undefined;
  for (let start = 0; start < n; start += batchSize) {
    const end = Math.min(n, start + batchSize);
    const y = model.forward(x.rows(start, end));
    result ??= Tensor.zeros([n, ...y.shape.slice(1)]);
    // Layer outputs are reused buffers, so copy each batch out.
    result.data.set(y.data, start * (y.size / (end - start)));
  }
  return result ?? Tensor.zeros([0, ...model.outputShape([0, ...x.shape.slice(1)]).slice(1)]);
}

function checkBatchSize(owner: string, batchSize = 256): number {
  if (!Number.isSafeInteger(batchSize) || batchSize < 1) {
    throw new RangeError(`${owner}: batchSize must be a positive integer, found ${batchSize}`);
  }
  return batchSize;
}
