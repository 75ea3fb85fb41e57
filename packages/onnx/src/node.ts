/**
 * Node.js file helpers for ONNX models: write a model to an `.onnx` file and read one back. The rest of
 * `@mnist/onnx` runs in browsers too; only this entry point imports `node:fs`.
 *
 * @example
 * ```ts
 * import type { Sequential } from '@mnist/nn';
 * import { exportOnnxFile, importOnnxFile } from '@mnist/onnx/node';
 * declare const model: Sequential; // a trained model
 *
 * await exportOnnxFile(model, 'mnist-mlp.onnx');
 * const restored = await importOnnxFile('mnist-mlp.onnx');
 * ```
 *
 * @packageDocumentation
 */
import { randomBytes } from 'node:crypto';
import { type FileHandle, open, rename, rm } from 'node:fs/promises';
import type { Layer, Sequential } from '@mnist/nn';
import { ModelFileError } from '@mnist/nn/node';
import { type ExportOnnxOptions, exportOnnx } from './export/export-onnx.js';
import { type ImportOnnxOptions, importOnnx } from './import/import-onnx.js';
import { readOnnxFile } from './read-onnx-file.js';

/** Options of {@link importOnnxFile}. */
export interface ImportOnnxFileOptions extends ImportOnnxOptions {
  /** The largest file to read, in bytes; a larger one is refused before it is read. Default 1 GiB. */
  maxBytes?: number;
}

/**
 * Writes a model as an ONNX file (see `exportOnnx` for the options). The bytes go to a new temporary file in the same
 * directory, flushed to disk and then renamed into place, so a crash never leaves half a model behind; when anything
 * fails the temporary file is removed.
 * @throws `OnnxExportError` for a model that has no ONNX form, before the disk is touched
 * @throws `ModelFileError` (from `@mnist/nn/node`) naming `path` when the file system refuses the write
 */
export async function exportOnnxFile(
  model: Sequential | Layer,
  path: string,
  options: ExportOnnxOptions = {},
): Promise<void> {
  const bytes = exportOnnx(model, options);
  // Unique per call, not per process: two exports in one process must not share a temporary file.
  const temporary = `${path}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`;
  let handle: FileHandle | undefined;
  try {
    handle = await open(temporary, 'wx');
    await handle.writeFile(bytes);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await rename(temporary, path);
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await rm(temporary, { force: true }).catch(() => undefined);
    throw ModelFileError.from(error, 'write the ONNX model to', path);
  }
}

/**
 * Reads an ONNX file as a `Sequential` (see `importOnnx`), treating the path as untrusted: only a regular file is read
 * (a FIFO or a device such as `/dev/zero` is refused at once, without waiting on it), and never more than `maxBytes`
 * of it, whatever its size claims. The model comes back in ordinary memory; place it with `model.to(backend)`.
 * @throws `OnnxFormatError` naming the file for something that is not a regular file or is over `maxBytes`; for
 *   bytes that are not an ONNX model
 * @throws `UnsupportedOnnxError` naming the node, operator and opset that do not import
 * @throws `ModelFileError` (from `@mnist/nn/node`) naming the file when it cannot be opened or read (it does not
 *   exist, permission is denied, …)
 */
export async function importOnnxFile(path: string, options: ImportOnnxFileOptions = {}): Promise<Sequential> {
  const maxBytes = options.maxBytes ?? 2 ** 30;
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 0) {
    throw new RangeError(`importOnnxFile: maxBytes must be an integer ≥ 0, found ${maxBytes}`);
  }
  return importOnnx(await readOnnxFile(path, maxBytes), options);
}
