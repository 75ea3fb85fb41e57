// Our side of one row of `src/peers.ts`, alone in a fresh process (so no other workload's JIT state or memory is in its
// figure): `tsx src/peer-workload.ts <workload> <threads>` runs the workload the way `../shared/perf-peers/peers.py`
// runs it in NumPy or PyTorch, on the wasm-simd backend with that many threads, and prints one line of JSON. The
// backend fuses its multiply-adds where the engine validates relaxed SIMD, unless MNIST_RELAXED_SIMD=0.
//
//   mlp-epoch  model.fit of the 784-128-64-10 MLP (batch 64, momentum 0.9) for 3 epochs of the 60 000 training images:
//              every epoch's seconds (peers.py takes the median of 3; we also report the first against the others).
//   cnn-step   trainStep of the example's CNN on 60 batches of 64 real training images: the median ms of the last 50
//              (peers.py's cnn-torch: the same 60 and 50).
//   predict    the MLP's forward pass (with its softmax): the median ms of 15 passes over the 10 000 test images after
//              3 warm-up passes, then µs per call for one image over 2000 calls after 200 (peers.py's predict-numpy).
import { BatchLoader } from '@mnist/datasets';
import { loadMnist } from '@mnist/datasets/node';
import { CrossEntropy, Momentum, trainStep } from '@mnist/nn';
import { createWasmBackend, Random, Tensor } from '@mnist/tensor';
import { median } from './measure.js';
import { cnn, mlp } from './models.js';

export const WORKLOADS = ['mlp-epoch', 'cnn-step', 'predict'] as const;
export type Workload = (typeof WORKLOADS)[number];

const [workload, threadsArgument] = process.argv.slice(2) as [Workload, string];
if (!WORKLOADS.includes(workload)) {
  throw new Error(`expected a workload among ${WORKLOADS.join(', ')}, found '${workload}'`);
}
const threads = Number(threadsArgument);
const backend = createWasmBackend({ threads, relaxedSimd: process.env.MNIST_RELAXED_SIMD === '0' ? false : undefined });
if ((await backend.ready()) !== threads) throw new Error(`${threads} threads did not start: ${backend.threadFailure}`);
const { train, test } = await loadMnist();

if (workload === 'mlp-epoch') {
  const model = mlp()
    .to(backend)
    .compile({ loss: 'categoricalCrossEntropy', optimizer: new Momentum({ learningRate: 0.1, momentum: 0.9 }) });
  const epochSeconds: number[] = [];
  let started = 0;
  await model.fit(new BatchLoader(train, { batchSize: 64, rng: new Random(1) }), {
    epochs: 3,
    callbacks: [
      {
        onEpochBegin: () => {
          started = performance.now();
        },
        onEpochEnd: () => {
          epochSeconds.push((performance.now() - started) / 1000);
        },
      },
    ],
  });
  console.log(JSON.stringify({ epochSeconds }));
} else if (workload === 'cnn-step') {
  const model = cnn().to(backend);
  const loader = new BatchLoader(train, { batchSize: 64, rng: new Random(1), layout: 'image' }).to(backend);
  const loss = new CrossEntropy();
  const optimizer = new Momentum({ learningRate: 0.03, momentum: 0.9 });
  const times: number[] = [];
  let step = 0;
  for (const batch of loader.epoch()) {
    const start = performance.now();
    trainStep(model, loss, optimizer, batch.x, batch.y);
    if (step >= 10) times.push(performance.now() - start);
    if (++step === 60) break;
  }
  console.log(JSON.stringify({ msPerStep: median(times) }));
} else {
  const model = mlp().to(backend);
  const all = test.toTensor('flat').to(backend);
  for (let i = 0; i < 3; i++) model.predict(all);
  const passes: number[] = [];
  for (let i = 0; i < 15; i++) {
    const start = performance.now();
    model.predict(all);
    passes.push(performance.now() - start);
  }
  const one = Tensor.from(all.data.subarray(0, 784), [1, 784]).to(backend);
  for (let i = 0; i < 200; i++) model.predict(one);
  const start = performance.now();
  for (let i = 0; i < 2000; i++) model.predict(one);
  const usPerImage = ((performance.now() - start) / 2000) * 1000;
  console.log(JSON.stringify({ msPer10k: median(passes), usPerImage }));
}
process.exit(0);
