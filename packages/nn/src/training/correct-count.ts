import { argmax, Tensor } from '@mnist/tensor';
import type { Targets } from '../losses/loss.js';

/**
 * Counts rows whose highest score is at the target class, reusing its index buffers per batch size so that counting
 * allocates nothing per batch. @internal
 */
export class CorrectCounter {
  private readonly buffers = new Map<number, [Int32Array, Int32Array]>();

  /** How many rows of `prediction` have their argmax at the target class. */
  count(prediction: Tensor, targets: Targets): number {
    const rows = prediction.shape[0] ?? 0;
    let pair = this.buffers.get(rows);
    if (!pair) {
      pair = [new Int32Array(rows), new Int32Array(rows)];
      this.buffers.set(rows, pair);
    }
    const predicted = argmax(prediction, -1, pair[0]);
    const labels = targets instanceof Tensor ? argmax(targets, -1, pair[1]) : targets;
    let correct = 0;
    for (let i = 0; i < rows; i++) if (predicted[i] === labels[i]) correct++;
    return correct;
  }
}
