import { basename, extname } from 'node:path';
import { OnnxExportError } from '@mnist/onnx';
import { exportOnnxFile } from '@mnist/onnx/node';
import { CliError } from './cli-error.js';
import { asCliError } from './describe-user-error.js';
import { type Io, resolvePath } from './io.js';
import { modelInputLayout } from './model-input-layout.js';
import type { Options } from './options.js';
import { prepareOutputPath } from './prepare-output-path.js';
import { readModel } from './read-model.js';

/** The name of the exported graph's output: what the example's networks end in. */
const OUTPUT_NAME = 'probabilities';

/** Where `export` read the model and wrote the ONNX file. */
export interface ExportResult {
  /** The model file that was read. */
  modelPath: string;
  /** The ONNX file that was written. */
  onnxPath: string;
}

/**
 * `pnpm mnist export --onnx FILE`: writes a saved model as ONNX, with the input `input` (`[batch, 784]` for a model
 * that takes flat images, `[batch, 1, 28, 28]` for one that takes 28×28 images, such as the CNN) and the output
 * `probabilities`. `--onnx` is checked before the model is read.
 * @throws {@link CliError} naming the flag and the file: `--onnx` missing or not writable, the model missing, not valid,
 *   not an MNIST classifier or with a layer that has no ONNX form
 */
export async function exportCommand(options: Options, io: Io): Promise<ExportResult> {
  if (options.onnx === undefined) throw new CliError('export needs --onnx FILE, the ONNX file to write; see --help');
  const modelPath = resolvePath(io, options.modelPath);
  const onnxPath = resolvePath(io, options.onnx);
  const suggestion = `${basename(modelPath, extname(modelPath))}.onnx`;
  await prepareOutputPath(options.onnx, onnxPath, suggestion, '--onnx');
  const model = await readModel(modelPath);
  const inputShape = modelInputLayout(model, modelPath) === 'image' ? [1, 28, 28] : [784];
  try {
    await exportOnnxFile(model, onnxPath, { inputShape, outputName: OUTPUT_NAME });
  } catch (error) {
    // The model is at fault when it has no ONNX form (refused before the disk is touched); else the file system is.
    if (error instanceof OnnxExportError) throw asCliError(error, { flag: '--model', path: modelPath });
    throw asCliError(error, { flag: '--onnx', path: onnxPath });
  }
  if (!options.quiet) io.write(`ONNX model written to ${onnxPath} (input 'input', output '${OUTPUT_NAME}')\n`);
  if (options.json) io.write(`${JSON.stringify({ modelPath, onnxPath })}\n`);
  return { modelPath, onnxPath };
}
