/**
 * Thrown when a training step's loss is NaN or infinite. The step stops before any gradient is applied, so the
 * weights are those from before the step. Inside `fit` the message also names the epoch and the batch.
 */
export class NonFiniteLossError extends Error {
  /** The loss value: NaN, Infinity or −Infinity. */
  readonly value: number;
  /** The epoch (from 0), when raised inside `fit`. */
  readonly epoch: number | undefined;
  /** The batch within the epoch (from 0), when raised inside `fit`. */
  readonly batch: number | undefined;

  constructor(value: number, epoch?: number, batch?: number) {
    const where = epoch === undefined ? '' : ` at epoch ${epoch}, batch ${batch}`;
    super(
      `the loss is ${value}${where}; training stopped before applying this step, so the weights are unchanged. ` +
        'A smaller learning rate, normalised inputs or gradient clipping usually cure this.',
    );
    this.name = 'NonFiniteLossError';
    this.value = value;
    this.epoch = epoch;
    this.batch = batch;
  }
}
