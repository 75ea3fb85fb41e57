import { ImageDataset } from '@mnist/datasets';
import { readIdxFile } from '@mnist/datasets/node';
import { CliError } from './cli-error.js';
import { currentBackend } from './current-backend.js';
import { asCliError } from './describe-user-error.js';
import { drawDigit } from './draw-digit.js';
import { type Io, resolvePath } from './io.js';
import { loadData } from './load-data.js';
import { modelInputLayout } from './model-input-layout.js';
import type { Options } from './options.js';
import { readModel } from './read-model.js';

/** One classified image. */
export interface Prediction {
  /** The image's number in its file. */
  index: number;
  /** The most probable digit. */
  predicted: number;
  /** The true digit, when known. */
  actual: number | undefined;
  /** The ten class probabilities. */
  probabilities: number[];
}

/**
 * Loads a saved model (or an ONNX model, `FILE.onnx`) and classifies test images (or the images of an IDX file),
 * drawing each one.
 * @throws {@link CliError} naming the flag and the file for a missing or invalid model or IDX file, a model that does
 *   not fit MNIST, or an index out of range; for a bad `MNIST_BACKEND` or `MNIST_THREADS`
 */
export async function predictCommand(options: Options, io: Io): Promise<Prediction[]> {
  // Chosen first, so that a bad MNIST_BACKEND or MNIST_THREADS fails before anything is loaded.
  currentBackend();
  const modelPath = resolvePath(io, options.modelPath);
  const model = (await readModel(modelPath)).to(currentBackend());
  const layout = modelInputLayout(model, modelPath);
  let images: ImageDataset;
  let indices: number[];
  if (options.idx !== undefined) {
    const idxPath = resolvePath(io, options.idx);
    const file = await readIdxFile(idxPath).catch((error: unknown) => {
      throw asCliError(error, { flag: '--idx', path: idxPath });
    });
    if (file.dims.length !== 3 || file.dims[1] !== 28 || file.dims[2] !== 28 || !(file.data instanceof Uint8Array)) {
      throw new CliError(
        `--idx: ${idxPath}: expected unsigned-byte images of 28×28, found dims [${file.dims.join(', ')}]`,
      );
    }
    images = new ImageDataset({
      images: file.data,
      labels: new Uint8Array(file.dims[0]),
      height: 28,
      width: 28,
      classCount: 10,
    });
    indices = [...Array(file.dims[0]).keys()];
  } else {
    images = (await loadData({ ...options, devSize: 0, trainSize: 1 }, io)).test;
    indices = options.indices;
  }
  for (const i of indices) {
    if (i >= images.length) throw new CliError(`--index ${i} is out of range: there are ${images.length} images`);
  }
  const selected = images.select(indices);
  const probabilities = model.predict(selected.toTensor(layout));
  const results: Prediction[] = indices.map((index, row) => {
    const p = Array.from(probabilities.data.subarray(row * 10, row * 10 + 10));
    const predicted = p.indexOf(Math.max(...p));
    return { index, predicted, actual: options.idx === undefined ? images.labels[index] : undefined, probabilities: p };
  });
  for (const [row, result] of results.entries()) {
    if (!options.quiet) io.write(`${render(result, selected.images.subarray(row * 784, row * 784 + 784))}\n`);
  }
  if (options.json) io.write(`${JSON.stringify(results)}\n`);
  return results;
}

/** The digit on the left; its class, the truth and a bar per class on the right. */
function render(result: Prediction, pixels: Uint8Array): string {
  // Crop the empty rows above and below the digit, keeping one of each as a margin.
  const rows = drawDigit(pixels);
  const inked = rows.map((line) => line.trim() !== '');
  const first = Math.max(0, inked.indexOf(true) - 1);
  const last = Math.min(rows.length, inked.lastIndexOf(true) + 2);
  const art = rows.slice(first, Math.max(last, first + 14));
  const verdict =
    result.actual === undefined ? '' : result.actual === result.predicted ? ' ✓' : ` ✗ (it is a ${result.actual})`;
  const side = [
    `image ${result.index}`,
    `predicted: ${result.predicted}${verdict}`,
    '',
    ...result.probabilities.map(
      (p, digit) => `${digit} ${'█'.repeat(Math.round(p * 30)).padEnd(30)} ${(100 * p).toFixed(1).padStart(5)}%`,
    ),
  ];
  return art.map((line, i) => `${line}   ${side[i] ?? ''}`.trimEnd()).join('\n');
}
