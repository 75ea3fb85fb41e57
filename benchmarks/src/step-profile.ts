// `pnpm bench`, part 6: where a training step's time goes, kernel by kernel, on the default backend: the MNIST MLP
// (784-128-64-10) and the example's CNN at batch 64, trained on MNIST's own batches, with every kernel of the backend
// wrapped in a timer; gemm is also broken down by shape. What is not in a kernel is the layers' own bookkeeping (shape
// checks, buffer reuse) and the timers' overhead.
import { BatchLoader, type ImageLayout } from '@mnist/datasets';
import { loadMnist } from '@mnist/datasets/node';
import { CrossEntropy, Momentum, type Sequential, trainStep } from '@mnist/nn';
import { type Backend, type BatchedProduct, getBackend, KERNELS, Random, type WasmBackend } from '@mnist/tensor';
import { batchStream } from './batch-stream.js';
import { machine } from './measure.js';
import { cnn, mlp } from './models.js';

const installed = getBackend();
await (installed as Partial<WasmBackend>).ready?.();
const spent = new Map<string, number>();
/** gemm's time by shape, `m×n×k` with the transpose flags (`N` plain, `T` transposed) of A and B. */
const gemmSpent = new Map<string, number>();
// The timed backend keeps `allocate`: a model moved onto it lands in the installed backend's memory and is used in
// place, as without the timers.
const timed: Record<string, unknown> = { name: `${installed.name} (timed)`, allocate: installed.allocate };
for (const kernel of KERNELS) {
  const run = installed[kernel] as (...args: unknown[]) => unknown;
  timed[kernel] = (...args: unknown[]) => {
    const start = performance.now();
    const result = run(...args);
    const ms = performance.now() - start;
    spent.set(kernel, (spent.get(kernel) ?? 0) + ms);
    if (kernel === 'gemm') {
      const [transA, transB, m, n, k] = args as [boolean, boolean, number, number, number];
      const shape = `${m}×${n}×${k} ${transA ? 'T' : 'N'}${transB ? 'T' : 'N'}`;
      gemmSpent.set(shape, (gemmSpent.get(shape) ?? 0) + ms);
    } else if (kernel === 'gemmBatched') {
      const { count, transA, transB, m, n, k } = args[0] as BatchedProduct;
      const shape = `${count}× ${m}×${n}×${k} ${transA ? 'T' : 'N'}${transB ? 'T' : 'N'}`;
      gemmSpent.set(shape, (gemmSpent.get(shape) ?? 0) + ms);
    }
    return result;
  };
}

const { train } = await loadMnist();

function profile(what: string, model: Sequential, layout: ImageLayout, steps: number): void {
  const loss = new CrossEntropy();
  const optimizer = new Momentum({ learningRate: 0.1 });
  // MNIST's batches as training sees them (placed with the model, so the first layer reads them in place). Only a
  // quarter of their pixels are nonzero, which the wasm gemm's zero skipping uses: a random input would time another
  // workload.
  const loader = new BatchLoader(train, { batchSize: 64, rng: new Random(2), layout, dropLast: true });
  model.to(installed);
  loader.to(installed);
  const next = batchStream(loader);
  const step = (): void => {
    const batch = next();
    trainStep(model, loss, optimizer, batch.x, batch.y);
  };
  // Warm-up: the first few hundred steps of a fresh process run slower while the JIT compilers settle.
  for (let i = 0; i < Math.max(10, steps); i++) step();
  let start = performance.now();
  for (let i = 0; i < steps; i++) step();
  const untimed = (performance.now() - start) / steps;
  // Moved onto the timed backend so every op of a step goes through its timers; one step there, untimed, moves the
  // optimizer's slots and the layers' buffers after the parameters.
  model.to(timed as unknown as Backend);
  loader.to(timed as unknown as Backend);
  step();
  const counters = (installed as Partial<WasmBackend>).counters;
  const copiedBefore = counters ? counters.floatsIn + counters.floatsOut : 0;
  spent.clear();
  gemmSpent.clear();
  start = performance.now();
  for (let i = 0; i < steps; i++) step();
  model.to(installed);
  const total = (performance.now() - start) / steps;
  const copied = counters ? (counters.floatsIn + counters.floatsOut - copiedBefore) / steps : 0;
  console.log(
    `\n${what}, batch 64, ${installed.name}: ${untimed.toFixed(2)} ms per step (${total.toFixed(2)} ms timed)`,
  );
  const rows = [...spent].sort((a, b) => b[1] - a[1]);
  let inKernels = 0;
  for (const [kernel, ms] of rows) {
    inKernels += ms / steps;
    if (ms / steps / total < 0.01) continue;
    console.log(
      `  ${kernel.padEnd(22)} ${(ms / steps).toFixed(3).padStart(7)} ms  ${((100 * ms) / steps / total).toFixed(0).padStart(3)}%`,
    );
    if (kernel !== 'gemm') continue;
    for (const [shape, shapeMs] of [...gemmSpent].sort((a, b) => b[1] - a[1])) {
      if (shapeMs / steps / total < 0.01) continue;
      console.log(`    ${shape.padEnd(20)} ${(shapeMs / steps).toFixed(3).padStart(7)} ms`);
    }
  }
  console.log(
    `  ${'(outside kernels)'.padEnd(22)} ${(total - inKernels).toFixed(3).padStart(7)} ms  ${((100 * (total - inKernels)) / total).toFixed(0).padStart(3)}%`,
  );
  if (counters)
    console.log(`  floats copied into and out of WebAssembly memory: ${(copied / 1e6).toFixed(2)} M per step`);
}

console.log(`Kernel time in a training step; ${machine()}`);
profile('MLP 784-128-64-10', mlp(), 'flat', 500);
profile('CNN (examples/mnist --model cnn)', cnn(), 'image', 20);
(installed as Partial<WasmBackend>).dispose?.();
