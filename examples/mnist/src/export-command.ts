import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ModelFormatError } from '@mnist/nn';
import { loadModelFile } from '@mnist/nn/node';
import { OnnxError } from '@mnist/onnx';
import { exportOnnxFile } from '@mnist/onnx/node';
import { CliError } from './cli-error.js';
import { type Io, resolvePath } from './io.js';
import type { Options } from './options.js';

/** Where `export` wrote the model. */
export interface ExportResult {
  modelPath: string;
  onnxPath: string;
}

/**
 * `pnpm mnist export --onnx FILE`: writes a saved model as ONNX. MNIST images are `[1, 28, 28]` for a network that
 * starts with a convolution; a network that starts with a dense layer takes its input size from it.
 */
export async function exportCommand(options: Options, io: Io): Promise<ExportResult> {
  if (options.onnx === undefined) throw new CliError('export needs --onnx FILE, the ONNX file to write; see --help');
  const modelPath = resolvePath(io, options.modelPath);
  const onnxPath = resolvePath(io, options.onnx);
  let model: Awaited<ReturnType<typeof loadModelFile>>;
  try {
    model = await loadModelFile(modelPath);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new CliError(`no model at ${modelPath}; train one first with 'pnpm mnist' (or pass --model FILE)`);
    }
    if (error instanceof ModelFormatError) throw new CliError(`${modelPath} is not a valid model: ${error.message}`);
    throw error;
  }
  const first = model.layers[0] as { inputSize?: unknown } | undefined;
  const inputShape = typeof first?.inputSize === 'number' ? undefined : [1, 28, 28];
  await mkdir(dirname(onnxPath), { recursive: true });
  try {
    await exportOnnxFile(model, onnxPath, { inputShape, outputName: 'probabilities' });
  } catch (error) {
    if (error instanceof OnnxError) throw new CliError(`${modelPath} cannot be written as ONNX: ${error.message}`);
    throw error;
  }
  if (!options.quiet) io.write(`ONNX model written to ${onnxPath} (input 'input', output 'probabilities')\n`);
  if (options.json) io.write(`${JSON.stringify({ modelPath, onnxPath })}\n`);
  return { modelPath, onnxPath };
}
