import type { Model } from '../model.js';
import type { Callback } from './callback.js';
import { ConcurrentFitError } from './concurrent-fit-error.js';
import type { EpochLogs } from './history.js';

/** Options of {@link EarlyStopping}. */
export interface EarlyStoppingOptions {
  /** The quantity to watch. Default `'valLoss'`; losses are minimised, accuracies maximised. */
  monitor?: 'loss' | 'accuracy' | 'valLoss' | 'valAccuracy';
  /** Epochs without improvement to tolerate before stopping. Default 0. */
  patience?: number;
  /** The smallest change that counts as an improvement. Default 0. */
  minDelta?: number;
  /** When stopping, put back the weights of the best epoch. Default `false`. */
  restoreBestWeights?: boolean;
}

/**
 * Stops training when a monitored quantity has not improved for more than `patience` epochs in a row: with
 * `patience: 2`, two epochs without improvement are tolerated and the third stops training.
 *
 * One instance keeps the record of one run at a time: it serves several `fit` calls one after the other, but two
 * running at once (on two models) would mix their records, so the earlier one fails with a {@link ConcurrentFitError}
 * at its next epoch's end.
 * @example
 * ```ts
 * import { EarlyStopping } from '@mnist/nn';
 * const stop = new EarlyStopping({ monitor: 'valLoss', patience: 2, restoreBestWeights: true });
 * ```
 */
export class EarlyStopping implements Callback {
  /** The watched quantity. */
  readonly monitor: NonNullable<EarlyStoppingOptions['monitor']>;
  private readonly patience: number;
  private readonly minDelta: number;
  private readonly restoreBestWeights: boolean;
  private best = Number.NaN;
  private wait = 0;
  private bestWeights: Float32Array[] | undefined;
  /** The model whose run the record is of. */
  private watched: Model | undefined;
  /** The epoch training stopped after, or `undefined` if it ran to the end. */
  stoppedEpoch: number | undefined;

  constructor(options: EarlyStoppingOptions = {}) {
    this.monitor = options.monitor ?? 'valLoss';
    this.patience = options.patience ?? 0;
    this.minDelta = options.minDelta ?? 0;
    this.restoreBestWeights = options.restoreBestWeights ?? false;
    if (!Number.isSafeInteger(this.patience) || this.patience < 0) {
      throw new RangeError(`EarlyStopping: patience must be a non-negative integer, found ${this.patience}`);
    }
  }

  /** Resets the record, so one instance can serve several `fit` calls, and watches `model` from now on. */
  onTrainBegin(model?: Model): void {
    this.watched = model;
    this.best = Number.NaN;
    this.wait = 0;
    this.bestWeights = undefined;
    this.stoppedEpoch = undefined;
  }

  /**
   * Compares the epoch's value with the best so far.
   * @throws {@link ConcurrentFitError} when another model's run has begun since this model's
   */
  onEpochEnd(logs: EpochLogs, model: Model): void {
    this.watched ??= model;
    if (this.watched !== model) {
      throw new ConcurrentFitError(
        "EarlyStopping: this instance now watches another model's fit, which began while this one ran; give each " +
          'fit that runs at the same time its own EarlyStopping',
      );
    }
    const value = logs[this.monitor];
    if (value === undefined) {
      throw new RangeError(`EarlyStopping: '${this.monitor}' is not logged; validation data is needed to monitor it`);
    }
    const maximise = this.monitor === 'accuracy' || this.monitor === 'valAccuracy';
    const improved =
      Number.isNaN(this.best) || (maximise ? value > this.best + this.minDelta : value < this.best - this.minDelta);
    if (improved) {
      this.best = value;
      this.wait = 0;
      if (this.restoreBestWeights) this.bestWeights = model.params().map((p) => p.value.data.slice());
      return;
    }
    this.wait++;
    if (this.wait > this.patience) {
      this.stoppedEpoch = logs.epoch;
      model.stopTraining = true;
      if (this.bestWeights) {
        const weights = this.bestWeights;
        for (const [i, p] of model.params().entries()) p.value.data.set(weights[i]);
      }
    }
  }
}
