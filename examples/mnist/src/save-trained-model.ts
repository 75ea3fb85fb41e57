import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Sequential } from '@mnist/nn';
import { saveModelFile } from '@mnist/nn/node';
import { CliError } from './cli-error.js';
import { describeUserError } from './describe-user-error.js';

/** Writes a model to a file; `saveModelFile` from `@mnist/nn/node`, or a stand-in in tests. */
export type SaveModel = (model: Sequential, path: string) => Promise<void>;

/**
 * Saves a model that took minutes to train without ever losing it: when `path` cannot be written (the disk filled up
 * during training, the directory was removed), the model goes to a new directory in the OS temporary directory instead.
 *
 * @param save - how to write `path`; the fallback always uses `saveModelFile`
 * @throws {@link CliError} naming `--out`, why it failed and where the model was saved instead (or, if that failed
 *   too, both reasons)
 */
export async function saveTrainedModel(model: Sequential, path: string, save: SaveModel): Promise<void> {
  try {
    await save(model, path);
  } catch (error) {
    const reason = describeUserError(error, path) ?? String(error);
    let fallback: string;
    try {
      fallback = join(await mkdtemp(join(tmpdir(), 'mnist-model-')), basename(path));
      await saveModelFile(model, fallback);
    } catch (second) {
      const again = describeUserError(second) ?? String(second);
      throw new CliError(`--out: ${reason}; saving to the temporary directory failed too (${again})`, {
        cause: error,
      });
    }
    throw new CliError(`--out: ${reason}; the trained model was saved to ${fallback} instead`, { cause: error });
  }
}
