// `pnpm bench`, part 4: training the MNIST example's 784-128-64-10 network (ReLU, softmax cross-entropy, momentum 0.9,
// batch 64, the 60 000-image training set) with this library and with TensorFlow.js 4.22 in the same process.
//
// This machine's speed drifts by tens of percent over a minute, so the systems are interleaved: each round runs a
// chunk of batches on every system in turn, and each system's figure is its median chunk, scaled to the 938 batches
// of an epoch. Every system trains on the same stream of batches, built from the IDX bytes by the same BatchLoader,
// and turns them into its own tensors inside the timed step. Our full-epoch figure (`fit`, 5 epochs, everything
// included) follows for comparison with the numpy and PyTorch figures, which were taken the same way.
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { type Batch, BatchLoader } from '@mnist/datasets';
import { loadMnist } from '@mnist/datasets/node';
import { CrossEntropy, Dense, Momentum, ReLU, Sequential, Softmax, trainStep } from '@mnist/nn';
import { type Backend, createWasmBackend, jsBackend, Random, setBackend, type WasmBackend } from '@mnist/tensor';
import { machine, median } from './measure.js';

const { train } = await loadMnist();
const batchesPerEpoch = Math.ceil(train.length / 64);

/** An endless stream of shuffled training batches (a new epoch starts when one ends). */
function batchStream(): () => Batch {
  const loader = new BatchLoader(train, { batchSize: 64, rng: new Random(1) });
  let epoch = loader.epoch();
  return () => {
    let next = epoch.next();
    if (next.done) {
      epoch = loader.epoch();
      next = epoch.next();
    }
    return next.value as Batch;
  };
}

function mlp(): Sequential {
  return new Sequential(
    [new Dense(784, 128), new ReLU(), new Dense(128, 64), new ReLU(), new Dense(64, 10), new Softmax()],
    { seed: 1 },
  ).compile({ loss: 'categoricalCrossEntropy', optimizer: new Momentum({ learningRate: 0.1, momentum: 0.9 }) });
}

/** A training step of our MLP on `backend`, over its own batch stream. */
function ours(backend: Backend): () => void {
  const model = mlp();
  const next = batchStream();
  const loss = new CrossEntropy();
  const optimizer = model.training.optimizer as Momentum;
  return () => {
    const previous = setBackend(backend);
    try {
      const batch = next();
      trainStep(model, loss, optimizer, batch.x, batch.y);
    } finally {
      setBackend(previous);
    }
  };
}

// TensorFlow.js is a devDependency of this private package only; nothing published depends on it. Its CommonJS
// bundles are loaded (the ESM build does not resolve under Node.js), and the umbrella package registers the gradients.
const require = createRequire(import.meta.url);
const tf = require('@tensorflow/tfjs') as typeof import('@tensorflow/tfjs');
const tfWasm = require('@tensorflow/tfjs-backend-wasm') as typeof import('@tensorflow/tfjs-backend-wasm');
tfWasm.setWasmPaths(`${dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'))}/`);
await tf.ready();

/** A training step of the same network in TensorFlow.js on `backendName` (switched to before each step). */
async function tensorflow(backendName: 'wasm' | 'cpu'): Promise<() => void> {
  if (!(await tf.setBackend(backendName))) throw new Error(`TensorFlow.js backend ${backendName} did not start`);
  const init = (rows: number, cols: number) => tf.variable(tf.randomNormal([rows, cols], 0, Math.sqrt(2 / rows)));
  const [w1, b1] = [init(784, 128), tf.variable(tf.zeros([128]))];
  const [w2, b2] = [init(128, 64), tf.variable(tf.zeros([64]))];
  const [w3, b3] = [init(64, 10), tf.variable(tf.zeros([10]))];
  const optimizer = tf.train.momentum(0.1, 0.9);
  const next = batchStream();
  return () => {
    if (tf.getBackend() !== backendName) tf.setBackend(backendName);
    const batch = next();
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
  };
}

const two = createWasmBackend({ threads: 2 });
const one = createWasmBackend({ threads: 1 });
await two.ready();
// [name, step, batches per chunk]: chunks of similar length, about a second each.
const systems: [string, () => void, number][] = [
  ['@mnist wasm-simd, 2 threads', ours(two), 1000],
  ['@mnist wasm-simd, 1 thread', ours(one), 1000],
  ['@mnist js (TypeScript reference backend)', ours(jsBackend), 150],
  ['TensorFlow.js 4.22 wasm (SIMD, 1 thread)', await tensorflow('wasm'), 100],
  ['TensorFlow.js 4.22 cpu (pure JS)', await tensorflow('cpu'), 20],
];
for (const [, step, chunk] of systems) for (let i = 0; i < Math.min(chunk, 100); i++) step(); // warm-up
const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const perBatch: number[][] = systems.map(() => []);
for (let r = 0; r < rounds; r++) {
  systems.forEach(([, step, chunk], s) => {
    const start = performance.now();
    for (let i = 0; i < chunk; i++) step();
    perBatch[s].push((performance.now() - start) / chunk);
  });
}
const seconds = perBatch.map((times) => (median(times) * batchesPerEpoch) / 1000);

// Our full epochs with fit, everything included (batch loading, first-epoch warm-up), as a user runs them.
async function fitEpochs(backend: WasmBackend, epochs: number): Promise<number[]> {
  const previous = setBackend(backend);
  try {
    const model = mlp();
    const times: number[] = [];
    let started = 0;
    await model.fit(new BatchLoader(train, { batchSize: 64, rng: new Random(1) }), {
      epochs,
      callbacks: [
        {
          onEpochBegin: () => {
            started = performance.now();
          },
          onEpochEnd: () => {
            times.push((performance.now() - started) / 1000);
          },
        },
      ],
    });
    return times;
  } finally {
    setBackend(previous);
  }
}
const epochs = await fitEpochs(two, 5);
two.dispose();

console.log(`\nTraining 784-128-64-10, batch 64, momentum, ${train.length} images per epoch; ${machine()}`);
console.log(`median of ${rounds} interleaved rounds, per-batch time × ${batchesPerEpoch} batches`);
console.log('| system | seconds per epoch | × @mnist wasm-simd, 2 threads |');
console.log('|---|---|---|');
for (const [s, [name]] of systems.entries()) {
  console.log(`| ${name} | ${seconds[s].toFixed(2)} | ${(seconds[s] / seconds[0]).toFixed(1)}× |`);
}
const mean = epochs.reduce((a, b) => a + b, 0) / epochs.length;
console.log(
  `\n@mnist wasm-simd, 2 threads, model.fit for 5 full epochs: ${epochs.map((t) => t.toFixed(2)).join(', ')} s ` +
    `(mean ${mean.toFixed(2)} s, median ${median(epochs).toFixed(2)} s)`,
);
console.log(
  'For orientation (issue 7, same machine): numpy 1.24 + OpenBLAS, 1 thread 0.80 s; PyTorch 1.13 CPU, 1 thread 0.98 s.',
);
