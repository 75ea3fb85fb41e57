// TensorFlow.js training in a Web Worker, for scripts/measure.ts only (never part of the site): the same networks as
// the page, on the same batches (the same MNIST files from the same site, the same BatchLoader and seed), timed the
// way the page times itself, from the first batch. The MLP is written with ops as `pnpm bench` writes it; the CNN with
// tf.layers. Bundled by esbuild into a classic worker script.
import { BatchLoader } from '@mnist/datasets';
import { Random } from '@mnist/tensor';
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { loadMnistSet } from '../src/data/load-mnist-set.js';

/** What measure.ts asks for. */
export interface TfjsRequest {
  siteUrl: string;
  wasmUrl: string;
  backend: 'wasm' | 'cpu';
  architecture: 'mlp' | 'cnn';
  images: number;
  batchSize: number;
}

/** What the worker answers: a speed, or why there is none. */
export type TfjsResult =
  | { imagesPerSecond: number; backend: string; threads: number; multithreadSupport: boolean }
  | { error: string; backend: string };

type Step = (x: Float32Array, y: Uint8Array, size: number) => Promise<void>;

function mlpStep(): Step {
  const init = (rows: number, cols: number) => tf.variable(tf.randomNormal([rows, cols], 0, Math.sqrt(2 / rows)));
  const [w1, b1] = [init(784, 128), tf.variable(tf.zeros([128]))];
  const [w2, b2] = [init(128, 64), tf.variable(tf.zeros([64]))];
  const [w3, b3] = [init(64, 10), tf.variable(tf.zeros([10]))];
  const optimizer = tf.train.momentum(0.1, 0.9);
  return async (data, labels, size) => {
    tf.tidy(() => {
      const x = tf.tensor2d(data, [size, 784]);
      const y = tf.oneHot(tf.tensor1d(labels, 'int32'), 10);
      const loss = optimizer.minimize(() => {
        const h1 = tf.relu(tf.add(tf.matMul(x, w1), b1));
        const h2 = tf.relu(tf.add(tf.matMul(h1, w2), b2));
        return tf.losses.softmaxCrossEntropy(y, tf.add(tf.matMul(h2, w3), b3)) as tf.Scalar;
      }, true);
      loss?.dataSync();
    });
  };
}

function cnnStep(): Step {
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 16, kernelSize: 5, padding: 'same' }),
      tf.layers.batchNormalization(),
      tf.layers.reLU(),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 32, kernelSize: 5, padding: 'same' }),
      tf.layers.batchNormalization(),
      tf.layers.reLU(),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 128, activation: 'relu' }),
      tf.layers.dropout({ rate: 0.3 }),
      tf.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
  model.compile({ optimizer: tf.train.momentum(0.1, 0.9), loss: 'categoricalCrossentropy' });
  return async (data, labels, size) => {
    // MNIST's rows of 784 bytes are already [28, 28, 1] in TensorFlow's channels-last order.
    const x = tf.tensor4d(data, [size, 28, 28, 1]);
    const y = tf.oneHot(tf.tensor1d(labels, 'int32'), 10);
    await model.trainOnBatch(x, y);
    tf.dispose([x, y]);
  };
}

async function measure(request: TfjsRequest): Promise<TfjsResult> {
  setWasmPaths(request.wasmUrl);
  // As many threads as the page trains on: one per core, up to 4. TensorFlow.js uses them only where its threaded
  // build can run (shared memory, so a cross-origin-isolated page); the result reports the count it used.
  setThreadsCount(Math.min(4, navigator.hardwareConcurrency));
  if (!(await tf.setBackend(request.backend)))
    return { error: `${request.backend} did not start`, backend: request.backend };
  await tf.ready();
  const train = await loadMnistSet(request.siteUrl, 'train');
  const loader = new BatchLoader(train.slice(0, request.images), {
    batchSize: request.batchSize,
    rng: new Random(1),
  });
  const step = request.architecture === 'cnn' ? cnnStep() : mlpStep();
  const threads = request.backend === 'wasm' ? getThreadsCount() : 1;
  // Whether TensorFlow.js found shared memory and threaded WebAssembly here, so picked its threaded build.
  const multithreadSupport = (await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')) === true;
  try {
    const start = performance.now();
    let images = 0;
    for (const batch of loader.epoch()) {
      await step(batch.x.data, batch.y, batch.size);
      images += batch.size;
    }
    const imagesPerSecond = (images * 1000) / (performance.now() - start);
    return { imagesPerSecond, backend: tf.getBackend(), threads, multithreadSupport };
  } catch (error) {
    return { error: (error as Error).message, backend: tf.getBackend() };
  }
}

self.onmessage = (event: MessageEvent<TfjsRequest>) => {
  measure(event.data).then(
    (result) => self.postMessage(result),
    (error: unknown) => self.postMessage({ error: String(error), backend: event.data.backend }),
  );
};
