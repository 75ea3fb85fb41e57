/**
 * Node.js file helpers for models: write a model to a JSON file and read it back. The rest of `@mnist/nn` runs in
 * browsers too; only this entry point imports `node:fs`.
 *
 * @example
 * ```ts
 * import { loadModelFile, saveModelFile } from '@mnist/nn/node';
 * await saveModelFile(model, 'mnist-mlp.json');
 * const restored = await loadModelFile('mnist-mlp.json');
 * ```
 *
 * @packageDocumentation
 */
import { open, rename, writeFile } from 'node:fs/promises';
import { Sequential } from './sequential.js';
import type { LoadOptions } from './serialization/load.js';
import { ModelFormatError } from './serialization/model-format-error.js';
import type { SaveOptions } from './serialization/save.js';

/** Options of {@link loadModelFile}. */
export interface LoadModelFileOptions extends LoadOptions {
  /** The largest file to read, in bytes. Default 1 GiB. */
  maxBytes?: number;
}

/**
 * Saves a model as JSON. The file is written under a temporary name and renamed into place, so a crash never leaves
 * a half-written model behind.
 */
export async function saveModelFile(model: Sequential, path: string, options: SaveOptions = {}): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, JSON.stringify(model.save(options)));
  await rename(temporary, path);
}

/**
 * Loads a model saved by {@link saveModelFile} (or any JSON from `model.save()`), validating it as untrusted input.
 * @throws `ModelFormatError` (from `@mnist/nn`) for a file over `maxBytes`, invalid JSON, or any schema problem (with its JSON path)
 */
export async function loadModelFile(path: string, options: LoadModelFileOptions = {}): Promise<Sequential> {
  const maxBytes = options.maxBytes ?? 2 ** 30;
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    if (size > maxBytes)
      throw new ModelFormatError('$', `${path} is ${size} bytes, over the ${maxBytes}-byte limit (maxBytes)`);
    const text = await handle.readFile('utf8');
    return Sequential.load(text, options);
  } finally {
    await handle.close();
  }
}
