/**
 * Node.js file helpers for models: write a model to a JSON file and read it back. The rest of `@mnist/nn` runs in
 * browsers too; only this entry point imports `node:fs`.
 *
 * @example
 * ```ts
 * import type { Sequential } from '@mnist/nn';
 * import { loadModelFile, saveModelFile } from '@mnist/nn/node';
 * declare const model: Sequential; // a trained model
 *
 * await saveModelFile(model, 'mnist-mlp.json');
 * const restored = await loadModelFile('mnist-mlp.json');
 * ```
 *
 * @packageDocumentation
 */
import { randomBytes } from 'node:crypto';
import { type FileHandle, open, rename, rm } from 'node:fs/promises';
import type { Sequential } from './sequential.js';
import type { LoadOptions } from './serialization/load.js';
import { loadModel } from './serialization/load.js';
import { ModelFileError } from './serialization/model-file-error.js';
import { ModelFormatError } from './serialization/model-format-error.js';
import { readModelText } from './serialization/read-model-text.js';
import type { SaveOptions } from './serialization/save.js';

export { ModelFileError } from './serialization/model-file-error.js';

/** Options of {@link loadModelFile}. */
export interface LoadModelFileOptions extends LoadOptions {
  /**
   * The largest file to read, in bytes. Default, and at most: the longest string the JavaScript engine can hold
   * (2²⁹ − 24 characters in Node.js 20), since the file is parsed as one JSON text; a larger file is refused before
   * it is read.
   */
  maxBytes?: number;
}

/**
 * Saves a model as JSON. The text is written to a new temporary file in the same directory, flushed to disk and then
 * renamed into place, so a crash never leaves a half-written model behind, and concurrent saves to one path leave one
 * of the models, whole. When anything fails the temporary file is removed.
 * @throws {@link ModelFileError} naming `path` when the file system refuses the write (the target is a directory, its
 *   directory does not exist, the disk is full, …)
 */
export async function saveModelFile(model: Sequential, path: string, options: SaveOptions = {}): Promise<void> {
  // Serialised before the disk is touched: a model that cannot be saved leaves nothing behind.
  const text = JSON.stringify(model.save(options));
  // Unique per call, not per process: two saves in one process must not share a temporary file.
  const temporary = `${path}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`;
  let handle: FileHandle | undefined;
  try {
    handle = await open(temporary, 'wx');
    await handle.writeFile(text, 'utf8');
    await handle.sync();
    await handle.close();
    handle = undefined;
    await rename(temporary, path);
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await rm(temporary, { force: true }).catch(() => undefined);
    throw ModelFileError.from(error, 'save the model to', path);
  }
}

/**
 * Loads a model saved by {@link saveModelFile} (or any JSON from `model.save()`), validating it as untrusted input.
 * Only a regular file is read (a FIFO or a device such as `/dev/zero` is refused at once, without waiting on it), and
 * never more than `maxBytes` of it, whatever its size claims.
 * @throws `ModelFormatError` (from `@mnist/nn`) naming the file, for something that is not a regular file, a
 *   file over `maxBytes`, text that is not UTF-8 or not JSON, or any schema problem (with its JSON path)
 * @throws {@link ModelFileError} naming the file when it cannot be opened or read (it does not exist, permission is
 *   denied, …)
 */
export async function loadModelFile(path: string, options: LoadModelFileOptions = {}): Promise<Sequential> {
  const text = await readModelText(path, options.maxBytes);
  try {
    return loadModel(text, options);
  } catch (error) {
    throw error instanceof ModelFormatError ? error.inFile(path) : error;
  }
}
