// One system of `src/training.ts`, alone in its own process so that no other system's code shares its JIT state:
// `tsx src/training-system.ts <system> <batches>` warms up, times `batches` training batches of the 784-128-64-10
// network (batch 64, momentum 0.9), and prints the milliseconds per batch as JSON.
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { BatchLoader } from '@mnist/datasets';
import { loadMnist } from '@mnist/datasets/node';
import { CrossEntropy, Momentum, trainStep } from '@mnist/nn';
import { createWasmBackend, jsBackend, Random, type WasmBackend } from '@mnist/tensor';
import { batchStream } from './batch-stream.js';
import { mlp } from './models.js';

export const SYSTEMS = ['wasm-2', 'wasm-1', 'js', 'tfjs-wasm', 'tfjs-cpu'] as const;
export type SystemName = (typeof SYSTEMS)[number];

const [system, batchesArgument] = process.argv.slice(2) as [SystemName, string];
if (!SYSTEMS.includes(system)) throw new Error(`expected a system among ${SYSTEMS.join(', ')}, found '${system}'`);
const batches = Number(batchesArgument);

const { train } = await loadMnist();
const loader = new BatchLoader(train, { batchSize: 64, rng: new Random(1) });
const next = batchStream(loader);

async function ours(): Promise<() => void> {
  const backend = system === 'js' ? jsBackend : createWasmBackend({ threads: system === 'wasm-2' ? 2 : 1 });
  await (backend as Partial<WasmBackend>).ready?.();
  const model = mlp().to(backend);
  loader.to(backend);
  const loss = new CrossEntropy();
  const optimizer = new Momentum({ learningRate: 0.1, momentum: 0.9 });
  return () => {
    const batch = next();
    trainStep(model, loss, optimizer, batch.x, batch.y);
  };
}

// TensorFlow.js is a devDependency of this private package only; nothing published depends on it. Its CommonJS
// bundles are loaded (the ESM build does not resolve under Node.js), and the umbrella package registers the gradients.
async function tensorflow(): Promise<() => void> {
  const require = createRequire(import.meta.url);
  const tf = require('@tensorflow/tfjs') as typeof import('@tensorflow/tfjs');
  const tfWasm = require('@tensorflow/tfjs-backend-wasm') as typeof import('@tensorflow/tfjs-backend-wasm');
  tfWasm.setWasmPaths(`${dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'))}/`);
  if (!(await tf.setBackend(system === 'tfjs-wasm' ? 'wasm' : 'cpu'))) throw new Error(`${system} did not start`);
  const init = (rows: number, cols: number) => tf.variable(tf.randomNormal([rows, cols], 0, Math.sqrt(2 / rows)));
  const [w1, b1] = [init(784, 128), tf.variable(tf.zeros([128]))];
  const [w2, b2] = [init(128, 64), tf.variable(tf.zeros([64]))];
  const [w3, b3] = [init(64, 10), tf.variable(tf.zeros([10]))];
  const optimizer = tf.train.momentum(0.1, 0.9);
  return () => {
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

const step = system.startsWith('tfjs') ? await tensorflow() : await ours();
// Warm-up: 300 batches and at least two seconds. Our two-thread step takes about a thousand batches to reach its
// steady speed (V8 compiles on background threads, which then compete with the two compute threads for two cores);
// the first epoch of src/training-fit.ts shows what that costs a real run.
const warmUntil = performance.now() + 2000;
for (let i = 0; i < 300 || performance.now() < warmUntil; i++) step();
const start = performance.now();
for (let i = 0; i < batches; i++) step();
console.log(JSON.stringify({ system, msPerBatch: (performance.now() - start) / batches }));
process.exit(0);
