// `pnpm bench`, part 6: where a training step's time goes, kernel by kernel, on the default backend: the MNIST MLP
// (784-128-64-10) and the example's CNN at batch 64, with every kernel of the backend wrapped in a timer. What is not
// in a kernel is the layers' own bookkeeping (shape checks, buffer reuse) and the timers' overhead.
import { CrossEntropy, Momentum, type Sequential, trainStep } from '@mnist/nn';
import {
  type Backend,
  getBackend,
  KERNELS,
  Random,
  randomUniform,
  setBackend,
  Tensor,
  type WasmBackend,
} from '@mnist/tensor';
import { machine } from './measure.js';
import { cnn, mlp } from './models.js';

const installed = getBackend();
await (installed as Partial<WasmBackend>).ready?.();
const spent = new Map<string, number>();
// The timed backend keeps `allocate`, so anything made resident while it is installed still lands in the backend's
// memory and is used in place, as without the timers.
const timed: Record<string, unknown> = { name: `${installed.name} (timed)`, allocate: installed.allocate };
for (const kernel of KERNELS) {
  const run = installed[kernel] as (...args: unknown[]) => unknown;
  timed[kernel] = (...args: unknown[]) => {
    const start = performance.now();
    const result = run(...args);
    spent.set(kernel, (spent.get(kernel) ?? 0) + performance.now() - start);
    return result;
  };
}

function profile(what: string, model: Sequential, inputShape: number[], steps: number): void {
  const loss = new CrossEntropy();
  const optimizer = new Momentum({ learningRate: 0.1 });
  // Resident, as BatchLoader's batches are: the first layer reads it in place.
  const x = Tensor.resident([64, ...inputShape]);
  x.data.set(randomUniform([64, ...inputShape], new Random(2)).data);
  const y = Uint8Array.from({ length: 64 }, (_, i) => i % 10);
  // Warm-up: the first few hundred steps of a fresh process run slower while the JIT compilers settle.
  for (let i = 0; i < Math.max(10, steps); i++) trainStep(model, loss, optimizer, x, y);
  let start = performance.now();
  for (let i = 0; i < steps; i++) trainStep(model, loss, optimizer, x, y);
  const untimed = (performance.now() - start) / steps;
  const counters = (installed as Partial<WasmBackend>).counters;
  const copiedBefore = counters ? counters.floatsIn + counters.floatsOut : 0;
  spent.clear();
  const previous = setBackend(timed as unknown as Backend);
  start = performance.now();
  try {
    for (let i = 0; i < steps; i++) trainStep(model, loss, optimizer, x, y);
  } finally {
    setBackend(previous);
  }
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
  }
  console.log(
    `  ${'(outside kernels)'.padEnd(22)} ${(total - inKernels).toFixed(3).padStart(7)} ms  ${((100 * (total - inKernels)) / total).toFixed(0).padStart(3)}%`,
  );
  if (counters)
    console.log(`  floats copied into and out of WebAssembly memory: ${(copied / 1e6).toFixed(2)} M per step`);
}

console.log(`Kernel time in a training step; ${machine()}`);
profile('MLP 784-128-64-10', mlp(), [784], 500);
profile('CNN (examples/mnist --model cnn)', cnn(), [1, 28, 28], 20);
(installed as Partial<WasmBackend>).dispose?.();
