// `pnpm bench`, part 4: training the MNIST example's 784-128-64-10 network (ReLU, softmax cross-entropy, momentum 0.9,
// batch 64, the full 60 000-image training set) with this library and with TensorFlow.js 4.22 in the same process, and
// the ratios. Our backends run whole epochs; TensorFlow.js's are timed over a few hundred batches (its pure-JS backend
// takes about a minute per epoch) and scaled to the 938 batches of an epoch. Every system gets the same batches, built
// from the IDX bytes by the same BatchLoader, and converts them to its own tensors inside the timed step.
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { type Batch, BatchLoader } from '@mnist/datasets';
import { loadMnist } from '@mnist/datasets/node';
import { Dense, Momentum, ReLU, Sequential, Softmax } from '@mnist/nn';
import { type Backend, createWasmBackend, jsBackend, Random, setBackend } from '@mnist/tensor';
import { machine, median } from './measure.js';

const { train } = await loadMnist();
const batchesPerEpoch = Math.ceil(train.length / 64);
const loader = () => new BatchLoader(train, { batchSize: 64, rng: new Random(1) });

/** Seconds per epoch of `epochs` full epochs of our MLP on `backend` (median over the epochs after the first). */
async function ours(backend: Backend, epochs: number): Promise<number> {
  const previous = setBackend(backend);
  try {
    const model = new Sequential(
      [new Dense(784, 128), new ReLU(), new Dense(128, 64), new ReLU(), new Dense(64, 10), new Softmax()],
      { seed: 1 },
    ).compile({ loss: 'categoricalCrossEntropy', optimizer: new Momentum({ learningRate: 0.1, momentum: 0.9 }) });
    const seconds: number[] = [];
    let started = 0;
    await model.fit(loader(), {
      epochs,
      callbacks: [
        {
          onEpochBegin: () => {
            started = performance.now();
          },
        },
        { onEpochEnd: () => void seconds.push((performance.now() - started) / 1000) },
      ],
    });
    return median(seconds.length > 1 ? seconds.slice(1) : seconds);
  } finally {
    setBackend(previous);
  }
}

// TensorFlow.js is a devDependency of this private package only; nothing published depends on it. Its CommonJS
// bundles are loaded (the ESM build does not resolve under Node.js), and the umbrella package registers the gradients.
const require = createRequire(import.meta.url);
const tf = require('@tensorflow/tfjs') as typeof import('@tensorflow/tfjs');
const tfWasm = require('@tensorflow/tfjs-backend-wasm') as typeof import('@tensorflow/tfjs-backend-wasm');
tfWasm.setWasmPaths(`${dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'))}/`);

/** Seconds per epoch of the same network in TensorFlow.js on `backendName`, from `steps` timed batches. */
async function tensorflow(backendName: 'wasm' | 'cpu', steps: number): Promise<number> {
  if (!(await tf.setBackend(backendName))) throw new Error(`TensorFlow.js backend ${backendName} did not start`);
  await tf.ready();
  const init = (rows: number, cols: number) => tf.variable(tf.randomNormal([rows, cols], 0, Math.sqrt(2 / rows)));
  const w1 = init(784, 128);
  const b1 = tf.variable(tf.zeros([128]));
  const w2 = init(128, 64);
  const b2 = tf.variable(tf.zeros([64]));
  const w3 = init(64, 10);
  const b3 = tf.variable(tf.zeros([10]));
  const optimizer = tf.train.momentum(0.1, 0.9);
  const step = (batch: Batch) =>
    tf.tidy(() => {
      const x = tf.tensor2d(batch.x.data, [batch.size, 784]);
      const y = tf.oneHot(tf.tensor1d(batch.y, 'int32'), 10);
      const loss = optimizer.minimize(() => {
        const h1 = tf.relu(tf.add(tf.matMul(x, w1), b1));
        const h2 = tf.relu(tf.add(tf.matMul(h1, w2), b2));
        return tf.losses.softmaxCrossEntropy(y, tf.add(tf.matMul(h2, w3), b3)) as import('@tensorflow/tfjs').Scalar;
      }, true);
      loss?.dataSync();
    });
  const batches = loader().epoch();
  const next = () => {
    const result = batches.next();
    if (result.done) throw new Error('ran out of batches');
    return result.value;
  };
  for (let i = 0; i < 20; i++) step(next()); // warm-up
  const started = performance.now();
  for (let i = 0; i < steps; i++) step(next());
  const seconds = ((performance.now() - started) / 1000 / steps) * batchesPerEpoch;
  for (const v of [w1, b1, w2, b2, w3, b3]) v.dispose();
  optimizer.dispose();
  return seconds;
}

const one = createWasmBackend({ threads: 1 });
const two = createWasmBackend({ threads: 2 });
await two.ready();
const rows: [string, number][] = [];
rows.push(['@mnist wasm-simd, 2 threads', await ours(two, 4)]);
rows.push(['@mnist wasm-simd, 1 thread', await ours(one, 4)]);
rows.push(['@mnist js (TypeScript reference backend)', await ours(jsBackend, 1)]);
rows.push(['TensorFlow.js 4.22 wasm (SIMD, 1 thread)', await tensorflow('wasm', 300)]);
rows.push(['TensorFlow.js 4.22 cpu (pure JS)', await tensorflow('cpu', 60)]);
two.dispose();

const best = rows[0][1];
console.log(`\nTraining 784-128-64-10, batch 64, momentum, ${train.length} images per epoch; ${machine()}`);
console.log('| system | seconds per epoch | ÷ @mnist wasm-simd, 2 threads |');
console.log('|---|---|---|');
for (const [name, seconds] of rows)
  console.log(`| ${name} | ${seconds.toFixed(2)} | ${(seconds / best).toFixed(1)}× |`);
console.log(
  'For orientation (issue 7, same machine): numpy 1.24 + OpenBLAS, 1 thread 0.80 s; PyTorch 1.13 CPU, 1 thread 0.98 s.',
);
