import type { Random } from '@mnist/tensor';
import type { ImageDataset } from './image-dataset.js';
import { shuffledIndices } from './shuffled-indices.js';

/** Options of {@link trainDevSplit}. */
export interface TrainDevSplitOptions {
  /** How many examples to hold out for the dev set. */
  devSize: number;
  /**
   * Draw the dev set at random with this generator (both parts are then copies). Without it the dev set is the
   * last `devSize` examples and both parts are views over the same bytes, the split of the classic `mnist.pkl.gz`
   * (the first 50 000 training images to train, the last 10 000 to validate).
   */
  rng?: Random;
}

/**
 * Holds out a development (validation) set from a training set, to choose hyperparameters and stop early without
 * touching the test set.
 *
 * @returns `train` with `length − devSize` examples and `dev` with `devSize`
 * @throws RangeError when `devSize` is not an integer in `[0, length]`
 * @example
 * ```ts
 * const mnist = await loadMnist();
 * const { train, dev } = trainDevSplit(mnist.train, { devSize: 10000 }); // 50 000 / 10 000
 * ```
 */
export function trainDevSplit(
  dataset: ImageDataset,
  options: TrainDevSplitOptions,
): { train: ImageDataset; dev: ImageDataset } {
  const { devSize, rng } = options;
  if (!Number.isInteger(devSize) || devSize < 0 || devSize > dataset.length) {
    throw new RangeError(`trainDevSplit: devSize must be an integer in [0, ${dataset.length}], found ${devSize}`);
  }
  const trainSize = dataset.length - devSize;
  if (rng === undefined) return { train: dataset.slice(0, trainSize), dev: dataset.slice(trainSize) };
  const order = shuffledIndices(dataset.length, rng);
  // Keep each part in the original order, so only membership is random.
  const trainIndices = order.subarray(0, trainSize).sort();
  const devIndices = order.subarray(trainSize).sort();
  return { train: dataset.select(trainIndices), dev: dataset.select(devIndices) };
}
