/** What one epoch of {@link Sequential.fit} measured. */
export interface EpochLogs {
  /** The epoch, from 0. */
  epoch: number;
  /** Mean training loss over the epoch's batches (weighted by batch size). */
  loss: number;
  /** Training accuracy over the epoch, in `[0, 1]`. */
  accuracy: number;
  /** Loss on the validation data, when there is some. */
  valLoss?: number;
  /** Accuracy on the validation data, when there is some. */
  valAccuracy?: number;
  /** The learning rate at the end of the epoch. */
  learningRate: number;
  /** Wall-clock seconds the epoch took, validation included. */
  seconds: number;
}

/** What one batch of {@link Sequential.fit} measured. */
export interface BatchLogs {
  /** The epoch, from 0. */
  epoch: number;
  /** The batch within the epoch, from 0. */
  batch: number;
  /** Examples in this batch. */
  size: number;
  /** The batch's mean loss. */
  loss: number;
  /** The batch's accuracy, in `[0, 1]`. */
  accuracy: number;
}

/** The record of a {@link Sequential.fit} run: one entry per completed epoch. */
export interface History {
  /** Per-epoch logs, in order. */
  epochs: EpochLogs[];
}
