import { formatShape, type Shape, ShapeError, shapesEqual, Tensor } from '@mnist/tensor';
import type { Targets } from '../losses/loss.js';
import type { Model } from '../model.js';
import { checkExamples } from './batches.js';
import { TrainingDataError } from './training-data-error.js';

/**
 * Checks a whole data set against the model before any step: what its batches would otherwise meet one at a time (the
 * first layer's input shape, targets shaped like the model's output, class indices within its outputs) and what a
 * batch would only show as a NaN loss, or validation as a NaN `valLoss` (non-finite inputs and targets). One pass over
 * the data, so a problem in the last row fails before the first step rather than after an epoch. Returns the number of
 * examples. @internal
 *
 * @throws TypeError or RangeError from the example count check, `ShapeError` when the model cannot take `x` or
 *   `y` is not shaped like its output, {@link TrainingDataError} for a non-finite value or a class index out of range
 */
export function checkDataForModel(owner: string, model: Model, x: Tensor, y: Targets): number {
  const n = checkExamples(owner, x, y);
  let output: Shape;
  try {
    output = model.outputShape([n, ...x.shape.slice(1)]);
  } catch (error) {
    // The layer's message says what it expects; the owner says which data it was.
    if (error instanceof ShapeError) throw new ShapeError(owner, error.message);
    throw error;
  }
  checkFinite(owner, 'x', x, 'inputs');
  if (y instanceof Tensor) {
    if (!shapesEqual(y.shape, output)) {
      throw new ShapeError(
        owner,
        `y must have the model’s output shape ${formatShape(output)}, found ${formatShape(y.shape)}`,
      );
    }
    checkFinite(owner, 'y', y, 'targets');
  } else if (output.length === 2) {
    // Class indices select one of the outputs (the losses one-hot encode them over the output's width). Other output
    // ranks are left to the loss, which decides what class indices mean for it.
    checkClassIndices(owner, y, output[1]);
  }
  return n;
}

function checkFinite(owner: string, name: string, tensor: Tensor, what: string): void {
  const data = tensor.data;
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      const rowSize = data.length / tensor.shape[0];
      const row = Math.floor(i / rowSize);
      throw new TrainingDataError(
        `${owner}: ${name} holds ${data[i]} at row ${row} (element ${i - row * rowSize} of the row); ${what} must be finite numbers`,
      );
    }
  }
}

function checkClassIndices(owner: string, labels: Uint8Array | Int32Array, classes: number): void {
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    if (label < 0 || label >= classes) {
      throw new TrainingDataError(
        `${owner}: y[${i}] is ${label}, but the model has ${classes} outputs, so a class index must be an integer in [0, ${classes})`,
      );
    }
  }
}
