// One run of `src/training.ts`'s full-epoch figure, in a fresh process: `tsx src/training-fit.ts <epochs>` loads MNIST,
// trains the 784-128-64-10 network with `model.fit` on the wasm-simd backend with 2 threads (batch 64, momentum 0.9,
// a shuffled BatchLoader), and prints each epoch's seconds as JSON. Everything a user's run pays is inside an epoch:
// batch loading, the first epoch's warm-up, fit's bookkeeping.
import { BatchLoader } from '@mnist/datasets';
import { loadMnist } from '@mnist/datasets/node';
import { Momentum } from '@mnist/nn';
import { createWasmBackend, Random } from '@mnist/tensor';
import { mlp } from './models.js';

const epochs = Number(process.argv[2]);
if (!Number.isInteger(epochs) || epochs < 1)
  throw new Error(`expected a number of epochs ≥ 1, found '${process.argv[2]}'`);
const { train } = await loadMnist();
const backend = createWasmBackend({ threads: 2 });
if ((await backend.ready()) !== 2) throw new Error(`the second thread did not start: ${backend.threadFailure}`);
const model = mlp()
  .to(backend)
  .compile({
    loss: 'categoricalCrossEntropy',
    optimizer: new Momentum({ learningRate: 0.1, momentum: 0.9 }),
  });
const seconds: number[] = [];
let started = 0;
await model.fit(new BatchLoader(train, { batchSize: 64, rng: new Random(1) }), {
  epochs,
  callbacks: [
    {
      onEpochBegin: () => {
        started = performance.now();
      },
      onEpochEnd: () => {
        seconds.push((performance.now() - started) / 1000);
      },
    },
  ],
});
console.log(JSON.stringify({ epochSeconds: seconds }));
process.exit(0);
