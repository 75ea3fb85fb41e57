import { Tensor } from '@mnist/tensor';
import type { Targets } from '../losses/loss.js';
import type { Sequential } from '../sequential.js';
import { checkExamples, rowRange, targetRange } from './batches.js';
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
export function evaluateModel(model: Sequential, x: Tensor, y: Targets, options: InferenceOptions): Evaluation {
  const { loss } = model.compiled('evaluate');
  const n = checkExamples('evaluate', x, y);
  const batchSize = checkBatchSize('evaluate', options.batchSize);
  const counter = new CorrectCounter();
  let lossSum = 0;
  let correct = 0;
  for (let start = 0; start < n; start += batchSize) {
    const end = Math.min(n, start + batchSize);
    const prediction = model.forward(rowRange(x, start, end));
    const targets = targetRange(y, start, end);
    lossSum += loss.forward(prediction, targets) * (end - start);
    correct += counter.count(prediction, targets);
  }
  return { loss: lossSum / n, accuracy: correct / n };
}

/** The model's outputs for every row of `x`, in inference mode, in a new tensor. @internal */
export function predictModel(model: Sequential, x: Tensor, options: InferenceOptions): Tensor {
  if (!(x instanceof Tensor) || x.rank < 1) throw new TypeError('predict: x must be a Tensor with a batch dimension');
  const n = x.shape[0];
  const batchSize = checkBatchSize('predict', options.batchSize);
  let result: Tensor | undefined;
  for (let start = 0; start < n; start += batchSize) {
    const end = Math.min(n, start + batchSize);
    const y = model.forward(rowRange(x, start, end));
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
