import type { Model } from '../model.js';
import type { Sequential } from '../sequential.js';
import type { BatchLogs, EpochLogs, History } from './history.js';

/**
 * Hooks into {@link Sequential.fit}. Every method is optional and may return a promise, which `fit` awaits. To stop
 * training early, set `model.stopTraining = true` (or pass an `AbortSignal` to `fit`); the current epoch finishes its
 * batch and `fit` returns the history so far.
 *
 * @example A progress line per epoch.
 * ```ts
 * import type { Callback } from '@mnist/nn';
 *
 * const progress: Callback = {
 *   onEpochEnd: (logs) => console.log(`epoch ${logs.epoch}: loss ${logs.loss.toFixed(4)}`),
 * };
 * ```
 */
export interface Callback<M extends Model = Sequential> {
  /** Before the first epoch. */
  onTrainBegin?(model: M): void | Promise<void>;
  /** After the last epoch (or an early stop). */
  onTrainEnd?(history: History, model: M): void | Promise<void>;
  /** Before an epoch's first batch. */
  onEpochBegin?(epoch: number, model: M): void | Promise<void>;
  /** After an epoch, validation included. */
  onEpochEnd?(logs: EpochLogs, model: M): void | Promise<void>;
  /** Before a batch's training step. */
  onBatchBegin?(epoch: number, batch: number, model: M): void | Promise<void>;
  /** After a batch's training step. */
  onBatchEnd?(logs: BatchLogs, model: M): void | Promise<void>;
}
