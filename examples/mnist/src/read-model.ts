import type { Sequential } from '@mnist/nn';
import { loadModelFile, ModelFileError } from '@mnist/nn/node';
import { ONNX_LAYERS } from '@mnist/onnx';
import { importOnnxFile } from '@mnist/onnx/node';
import { CliError } from './cli-error.js';
import { asCliError } from './describe-user-error.js';

/**
 * Reads the model `--model` names: an ONNX model when the file name ends in `.onnx`, a model file of this library
 * otherwise (which may hold the layers of an imported ONNX model, such as the exact GELU). The model comes back in
 * ordinary memory; a command that runs it places it (`model.to(backend)`).
 *
 * @param path - `--model` resolved from the user's directory
 * @throws {@link CliError} naming `--model` and the file when it is missing, unreadable or not a valid model, or an
 *   ONNX model that does not import
 */
export async function readModel(path: string): Promise<Sequential> {
  try {
    return path.endsWith('.onnx') ? await importOnnxFile(path) : await loadModelFile(path, { layers: ONNX_LAYERS });
  } catch (error) {
    if (error instanceof ModelFileError && error.code === 'ENOENT') {
      throw new CliError(`no model at ${path}; train one first with 'pnpm mnist' (or pass --model FILE)`, {
        cause: error,
      });
    }
    throw asCliError(error, { flag: '--model', path });
  }
}
