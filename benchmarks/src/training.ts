// `pnpm bench`, part 4: training the MNIST example's 784-128-64-10 network (ReLU, softmax cross-entropy, momentum 0.9,
// batch 64, the 60 000-image training set) with this library and with TensorFlow.js 4.22, on the same machine in the
// same run.
//
// Each system runs in a process of its own (src/training-system.ts), so no system's code shares JIT state with
// another's, and the systems take turns for a few rounds, so a slow spell of this machine (its speed drifts by tens of
// percent over a minute) hits them all. Each figure is the system's median per-batch time after a warm-up (300
// batches and at least two seconds, the same for every system), scaled to the 938 batches of an epoch: the steady
// speed. The warm-up itself is in the first epoch of the `fit` figures below. Every system trains on the same stream
// of batches, built from the IDX bytes by the same BatchLoader,
// and makes its own tensors from them inside the timed step. Our full-epoch figure (`fit`, 5 epochs, everything
// included, src/training-fit.ts) follows, taken the way the numpy and PyTorch figures were: once per round, in a fresh
// process, so it meets the same spells of this machine as the others. NumPy and PyTorch are beside us in
// src/peers.ts, the last part.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadMnist } from '@mnist/datasets/node';
import { machine, median } from './measure.js';

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
const fitScript = fileURLToPath(new URL('./training-fit.ts', import.meta.url));
const FIT_EPOCHS = 5;
const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const perBatch: number[][] = systems.map(() => []);
const fitRuns: number[][] = [];
for (let r = 0; r < rounds; r++) {
  const fitOutput = execFileSync(process.execPath, [...process.execArgv, fitScript, String(FIT_EPOCHS)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  fitRuns.push((JSON.parse(fitOutput.trim().split('\n').at(-1) as string) as { epochSeconds: number[] }).epochSeconds);
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

console.log(`\nTraining 784-128-64-10, batch 64, momentum, ${train.length} images per epoch; ${machine()}`);
console.log(
  `each system in its own process, ${rounds} rounds in turn; median per-batch time × ${batchesPerEpoch} batches`,
);
console.log('| system | seconds per epoch | × @mnist wasm-simd, 2 threads |');
console.log('|---|---|---|');
for (const [s, [name]] of systems.entries()) {
  console.log(`| ${name} | ${seconds[s].toFixed(2)} | ${(seconds[s] / seconds[0]).toFixed(1)}× |`);
}
const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
console.log(
  `\n@mnist wasm-simd, 2 threads, model.fit for ${FIT_EPOCHS} full epochs in a fresh process, once per round ` +
    '(seconds per epoch):',
);
for (const run of fitRuns) {
  console.log(
    `  ${run.map((t) => t.toFixed(2)).join(', ')} (mean ${mean(run).toFixed(2)}, without the first epoch ${mean(run.slice(1)).toFixed(2)})`,
  );
}
console.log(
  `  median over rounds: mean ${median(fitRuns.map(mean)).toFixed(2)} s per epoch, ` +
    `${median(fitRuns.map((run) => mean(run.slice(1)))).toFixed(2)} s without the first (warm-up) epoch`,
);
