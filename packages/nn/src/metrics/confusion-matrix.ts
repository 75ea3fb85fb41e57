import type { Tensor } from '@mnist/tensor';
import { argmax } from '@mnist/tensor';
import type { Targets } from '../losses/loss.js';
import { classIndices } from './accuracy.js';

/**
 * Counts of (true class, predicted class) pairs: `counts[t·classes + p]` is how many examples of class `t` were
 * predicted as `p`. The diagonal holds the correct predictions.
 */
export class ConfusionMatrix {
  /** Row-major `classes × classes` counts; rows are true classes, columns predicted ones. */
  readonly counts: Int32Array;

  /** @param classes - the number of classes */
  constructor(readonly classes: number) {
    if (!Number.isSafeInteger(classes) || classes < 1) {
      throw new RangeError(`ConfusionMatrix: classes must be a positive integer, found ${classes}`);
    }
    this.counts = new Int32Array(classes * classes);
  }

  /**
   * Builds the matrix of a batch of predictions (rows of class scores) against their targets.
   * @example
   * ```ts
   * import { ConfusionMatrix } from '@mnist/nn';
   * import { Tensor } from '@mnist/tensor';
   * const m = ConfusionMatrix.from(Tensor.fromArray([[0.9, 0.1], [0.8, 0.2]]), new Uint8Array([0, 1]));
   * m.get(1, 0); // 1: one example of class 1 was predicted as 0
   * ```
   */
  static from(prediction: Tensor, targets: Targets): ConfusionMatrix {
    const matrix = new ConfusionMatrix(prediction.shape[prediction.rank - 1] ?? 1);
    matrix.add(argmax(prediction, -1), classIndices(targets));
    return matrix;
  }

  /** Adds pairs of predicted and true classes. @throws RangeError on a class outside `[0, classes)` */
  add(predicted: ArrayLike<number>, actual: ArrayLike<number>): this {
    if (predicted.length !== actual.length) {
      throw new RangeError(`ConfusionMatrix.add: ${predicted.length} predictions but ${actual.length} targets`);
    }
    // Check every pair before counting any, so a rejected call leaves the counts as they were.
    for (let i = 0; i < predicted.length; i++) {
      const p = predicted[i];
      const t = actual[i];
      if (!(p >= 0 && p < this.classes && t >= 0 && t < this.classes && Number.isInteger(p) && Number.isInteger(t))) {
        throw new RangeError(
          `ConfusionMatrix.add: classes must be integers in [0, ${this.classes}), found ${t} → ${p} at ${i}`,
        );
      }
    }
    for (let i = 0; i < predicted.length; i++) this.counts[actual[i] * this.classes + predicted[i]]++;
    return this;
  }

  /** How many examples of class `actual` were predicted as `predicted`. */
  get(actual: number, predicted: number): number {
    return this.counts[actual * this.classes + predicted];
  }

  /** The fraction on the diagonal (NaN when empty). */
  accuracy(): number {
    let correct = 0;
    let total = 0;
    for (let t = 0; t < this.classes; t++) {
      for (let p = 0; p < this.classes; p++) {
        const c = this.counts[t * this.classes + p];
        total += c;
        if (t === p) correct += c;
      }
    }
    return total === 0 ? Number.NaN : correct / total;
  }

  /** A fixed-width table: one row per true class, one column per predicted class. */
  toString(labels: readonly string[] = Array.from({ length: this.classes }, (_, i) => String(i))): string {
    const width = Math.max(5, ...labels.map((l) => l.length), ...Array.from(this.counts, (c) => String(c).length)) + 1;
    const pad = (s: string) => s.padStart(width);
    const lines = [`${pad('true↓')}${labels.map(pad).join('')}   ← predicted`];
    for (let t = 0; t < this.classes; t++) {
      const row = Array.from({ length: this.classes }, (_, p) => pad(String(this.get(t, p))));
      lines.push(`${pad(labels[t] ?? String(t))}${row.join('')}`);
    }
    return lines.join('\n');
  }
}
