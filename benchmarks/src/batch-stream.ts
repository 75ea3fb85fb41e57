import type { Batch, BatchLoader } from '@mnist/datasets';

/** Batches of `loader` without end: each call returns the next batch, starting a new epoch when one runs out. */
export function batchStream(loader: BatchLoader): () => Batch {
  let epoch = loader.epoch();
  return () => {
    let result = epoch.next();
    if (result.done) {
      epoch = loader.epoch();
      result = epoch.next();
    }
    return result.value as Batch;
  };
}
