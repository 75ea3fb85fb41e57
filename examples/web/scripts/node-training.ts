// One Node.js training run for scripts/measure.ts, in a process of its own so no other run shares its JIT state:
// `tsx --conditions=@mnist/source scripts/node-training.ts <mlp|cnn> <images> <batch size>` trains one epoch with the
// page's own code (src/train/train-run.ts, the backend of src/backend.ts) and prints one line of JSON.
import { loadMnist } from '@mnist/datasets/node';
import { useWorkerBackend } from '../src/backend.js';
import type { Architecture } from '../src/model/architectures.js';
import { PauseGate } from '../src/train/pause-gate.js';
import { trainRun } from '../src/train/train-run.js';
import { DEFAULT_LEARNING_RATES, DEFAULT_SETTINGS } from '../src/train/training-settings.js';

const [architecture, images, batchSize] = process.argv.slice(2);
if (architecture !== 'mlp' && architecture !== 'cnn') throw new Error(`expected mlp or cnn, found ${architecture}`);
const backend = await useWorkerBackend();
const { train } = await loadMnist();
const result = await trainRun(
  {
    ...DEFAULT_SETTINGS,
    architecture: architecture as Architecture,
    learningRate: DEFAULT_LEARNING_RATES.momentum,
    epochs: 1,
    trainSize: Number(images),
    batchSize: Number(batchSize),
  },
  train,
  { begin() {}, batch() {}, epoch() {}, weights() {} },
  { signal: new AbortController().signal, gate: new PauseGate() },
);
console.log(
  JSON.stringify({
    imagesPerSecond: result.images / result.trainingSeconds,
    backend: backend.name,
    threads: backend.threads,
  }),
);
process.exit(0);
