// `pnpm bench`, part 4: training the MNIST example's 784-128-64-10 network (ReLU, softmax cross-entropy, momentum 0.9,
// batch 64, the 60 000-image training set) with this library and with TensorFlow.js 4.22, on the same machine in the
// same run.
//
// Each system runs in a process of its own (src/training-system.ts), so no system's code shares JIT state with
// another's, and the systems take turns for a few rounds, so a slow spell of this machine (its speed drifts by tens of
// percent over a minute) hits them all. Each figure is the system's median per-batch time, scaled to the 938 batches
// of an epoch; every system trains on the same stream of batches, built from the IDX bytes by the same BatchLoader,
// and makes its own tensors from them inside the timed step. Our full-epoch figure (`fit`, 5 epochs, everything
// included) follows, taken the way the numpy and PyTorch figures were.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { BatchLoader } from '@mnist/datasets';
import { loadMnist } from '@mnist/datasets/node';
import { Momentum, type Sequential } from '@mnist/nn';
import { createWasmBackend, Random, setBackend, type WasmBackend } from '@mnist/tensor';
import { machine, median } from './measure.js';
import { mlp } from './models.js';

const { train } = await loadMnist();
const batchesPerEpoch = Math.ceil(train.length / 64);

// [label, system, batches per run]: runs of about two seconds each.
const systems: [string, string, number][] = [
  ['@mnist wasm-simd, 2 threads', 'wasm-2', 2000],
  ['@mnist wasm-simd, 1 thread', 'wasm-1', 2000],
  ['@mnist js (TypeScript reference backend)', 'js', 300],
  ['TensorFlow.js 4.22 wasm (SIMD, 1 thread)', 'tfjs-wasm', 250],
  ['TensorFlow.js 4.22 cpu (pure JS)', 'tfjs-cpu', 40],
];
const script = fileURLToPath(new URL('./training-system.ts', import.meta.url));
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const perBatch: number[][] = systems.map(() => []);
for (let r = 0; r < rounds; r++) {
  for (const [s, [, system, batches]] of systems.entries()) {
    // Each run is a fresh process, with this one's loader flags (tsx, the @mnist/source condition).
    const output = execFileSync(process.execPath, [...process.execArgv, script, system, String(batches)], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const line = output.trim().split('\n').at(-1) as string;
    perBatch[s].push((JSON.parse(line) as { msPerBatch: number }).msPerBatch);
  }
}
const seconds = perBatch.map((times) => (median(times) * batchesPerEpoch) / 1000);

/** The MLP, compiled with the same optimizer as the per-batch runs. */
function compiledMlp(): Sequential {
  return mlp().compile({
    loss: 'categoricalCrossEntropy',
    optimizer: new Momentum({ learningRate: 0.1, momentum: 0.9 }),
  });
}

// Our full epochs with fit, everything included (batch loading, first-epoch warm-up), as a user runs them.
async function fitEpochs(backend: WasmBackend, epochs: number): Promise<number[]> {
  const previous = setBackend(backend);
  try {
    const model = compiledMlp();
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
const two = createWasmBackend({ threads: 2 });
await two.ready();
const epochs = await fitEpochs(two, 5);
two.dispose();

console.log(`\nTraining 784-128-64-10, batch 64, momentum, ${train.length} images per epoch; ${machine()}`);
console.log(
  `each system in its own process, ${rounds} rounds in turn; median per-batch time × ${batchesPerEpoch} batches`,
);
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
