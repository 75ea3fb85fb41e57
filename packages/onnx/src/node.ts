/**
 * Node.js file helpers for ONNX models: write a model to an `.onnx` file and read one back. The rest of
 * `@mnist/onnx` runs in browsers too; only this entry point imports `node:fs`.
 *
 * @example
 * ```ts skip-run
 * import { exportOnnxFile, importOnnxFile } from '@mnist/onnx/node';
 * await exportOnnxFile(model, 'mnist-mlp.onnx');
 * const restored = await importOnnxFile('mnist-mlp.onnx');
 * ```
 *
 * @packageDocumentation
 */
import { open, rename, writeFile } from 'node:fs/promises';
import type { Layer, Sequential } from '@mnist/nn';
import { type ExportOnnxOptions, exportOnnx } from './export/export-onnx.js';
import { type ImportOnnxOptions, importOnnx } from './import/import-onnx.js';
import { OnnxFormatError } from './onnx-format-error.js';

/** Options of {@link importOnnxFile}. */
export interface ImportOnnxFileOptions extends ImportOnnxOptions {
  /** The largest file to read, in bytes. Default 1 GiB. */
  maxBytes?: number;
}

/**
 * Writes a model as an ONNX file (see `exportOnnx` for the options). The file is written under a temporary name and
 * renamed into place, so a crash never leaves half a model behind.
 * @throws `OnnxExportError` for a model that has no ONNX form
 */
export async function exportOnnxFile(
  model: Sequential | Layer,
  path: string,
  options: ExportOnnxOptions = {},
): Promise<void> {
  const bytes = exportOnnx(model, options);
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, bytes);
  await rename(temporary, path);
}

/**
 * Reads an ONNX file as a `Sequential` (see `importOnnx`), refusing a file over `maxBytes` before reading it.
 * @throws `OnnxFormatError` for a file over `maxBytes` or bytes that are not an ONNX model
 * @throws `UnsupportedOnnxError` naming the node, operator and opset that do not import
 */
export async function importOnnxFile(path: string, options: ImportOnnxFileOptions = {}): Promise<Sequential> {
  const maxBytes = options.maxBytes ?? 2 ** 30;
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    if (size > maxBytes)
      throw new OnnxFormatError(`${path} is ${size} bytes, over the ${maxBytes}-byte limit (maxBytes)`);
    return importOnnx(await handle.readFile(), options);
  } finally {
    await handle.close();
  }
}
