import { type ImageDataset, trainDevSplit } from '@mnist/datasets';
import { loadMnist } from '@mnist/datasets/node';
import { CliError } from './cli-error.js';
import { asCliError } from './describe-user-error.js';
import { type Io, resolvePath } from './io.js';
import type { Options } from './options.js';

/** The training, dev and test sets the command line asks for. */
export interface Data {
  train: ImageDataset;
  dev: ImageDataset | undefined;
  test: ImageDataset;
}

/**
 * Loads MNIST (or `--data DIR`), trims it to `--train-size` / `--test-size`, and holds out `--dev-size`.
 * @throws {@link CliError} naming `--data` and the file for a missing, unreadable or corrupt dataset
 */
export async function loadData(options: Options, io: Io): Promise<Data> {
  let sets: Awaited<ReturnType<typeof loadMnist>>;
  const dir = options.data === undefined ? undefined : resolvePath(io, options.data);
  try {
    sets = await loadMnist(dir === undefined ? {} : { dir });
  } catch (error) {
    throw asCliError(error, { flag: dir === undefined ? undefined : '--data', path: dir });
  }
  const all =
    options.trainSize === undefined ? sets.train : sets.train.slice(0, Math.min(options.trainSize, sets.train.length));
  const test =
    options.testSize === undefined ? sets.test : sets.test.slice(0, Math.min(options.testSize, sets.test.length));
  if (options.devSize >= all.length) {
    throw new CliError(`--dev-size ${options.devSize} leaves no training images out of ${all.length}`);
  }
  if (options.devSize === 0) return { train: all, dev: undefined, test };
  const { train, dev } = trainDevSplit(all, { devSize: options.devSize });
  return { train, dev, test };
}
