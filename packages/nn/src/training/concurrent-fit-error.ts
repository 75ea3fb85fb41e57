/**
 * Thrown by {@link Sequential.fit} when it is called on a model whose previous `fit` has not finished. Two loops
 * stepping one model would interleave their steps on one optimizer, reset each other's `stopTraining` and mix their
 * histories, so the second call is refused at once and the first carries on. Once the first call's promise settles
 * (resolved or rejected), `fit` may be called again.
 *
 * Also thrown by a callback that keeps a record of one run, {@link EarlyStopping}, when two fits running at the same
 * time share it: the run that started first fails at its next epoch's end rather than stop on, or restore, the other
 * model's record.
 */
export class ConcurrentFitError extends Error {
  /** @param message - what is shared; by default, the model */
  constructor(
    message = 'fit: this model is already training in an earlier fit call that has not finished; await it (or end it ' +
      'with model.stopTraining = true or its AbortSignal) before calling fit again',
  ) {
    super(message);
    this.name = 'ConcurrentFitError';
  }
}
