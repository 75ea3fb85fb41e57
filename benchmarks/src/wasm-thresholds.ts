// The thresholds of the wasm-simd backend's `tuning.ts` that no other table of `pnpm bench` shows from both sides: each
// table runs the backend with the threshold moved out of the way (forced on, forced off) over sizes around it, so the
// crossing the threshold stands for can be read off. It builds the backend from its internal pieces (a runtime with
// moved tuning), which only this script and the tests do. Run: `npx tsx --conditions=@mnist/source src/wasm-thresholds.ts`.
import { jsBackend, type WasmBackend } from '@mnist/tensor';
import { wasmBackendOn } from '../../packages/tensor/src/backend/wasm/index.js';
import { WasmRuntime } from '../../packages/tensor/src/backend/wasm/runtime/runtime.js';
import { DEFAULT_TUNING, type Tuning } from '../../packages/tensor/src/backend/wasm/tuning.js';
import { machine, median, sampler } from './measure.js';

const rounds = Number(process.env.BENCH_ROUNDS ?? 5);

/** A backend on `threads` threads with `tuning` moved, its workers started. */
async function backend(threads: number, tuning: Partial<Tuning>): Promise<WasmBackend> {
  const created = wasmBackendOn(new WasmRuntime({ threads, tuning }));
  if ((await created.ready()) !== threads) throw new Error(`the backend did not start ${threads} threads`);
  return created;
}

/** Median milliseconds per call of each of `runs`, sampled interleaved, round by round. */
function time(runs: (() => void)[]): number[] {
  const samplers = runs.map((run) => sampler(run, 30));
  const times: number[][] = runs.map(() => []);
  for (let r = 0; r < rounds; r++) for (const [i, sample] of samplers.entries()) times[i].push(sample());
  return times.map(median);
}

function values(length: number, seed: number, density = 1): Float32Array {
  const out = new Float32Array(length);
  let state = seed;
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    const uniform = state / 2 ** 32;
    out[i] = uniform < density ? (2 * uniform) / density - 1 : 0;
  }
  return out;
}

/** A copy of `x` placed in `on`'s memory, `extra` floats longer. */
function placed(on: WasmBackend, x: Float32Array, extra = 0): Float32Array {
  const array = (on.allocate as (length: number) => Float32Array)(x.length + extra);
  array.set(x);
  return array;
}

function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of rows) console.log(line(row));
}

const µs = (ms: number) => (1000 * ms).toFixed(2);
const gflops = (macs: number, ms: number) => ((2 * macs) / ms / 1e6).toFixed(1);

async function stagedOrReference(): Promise<void> {
  console.log(
    `\nstaged or reference (STAGED_MIN_ELEMENTS = ${DEFAULT_TUNING.STAGED_MIN_ELEMENTS}): kernels on ordinary arrays, ` +
      'staged into WebAssembly memory at every size, against the reference; µs per call\n',
  );
  const wasm = await backend(1, { STAGED_MIN_ELEMENTS: 0 });
  const rows: string[][] = [];
  for (const n of [64, 128, 256, 512, 1024, 4096]) {
    const [x, v, out] = [values(n, 1), values(16, 2), new Float32Array(n)];
    const [relu, reluJs, bias, biasJs] = time([
      () => wasm.relu(n, x, out),
      () => jsBackend.relu(n, x, out),
      () => wasm.addRowVector(n / 16, 16, x, v, out),
      () => jsBackend.addRowVector(n / 16, 16, x, v, out),
    ]);
    rows.push([String(n), µs(relu), µs(reluJs), µs(bias), µs(biasJs)]);
  }
  printTable(['elements', 'relu staged', 'relu js', 'addRowVector staged', 'addRowVector js'], rows);
}

async function splittingAnUpdate(): Promise<void> {
  console.log(
    `\nsplitting an update (UPDATE_SPLIT_MIN_ELEMENTS = ${DEFAULT_TUNING.UPDATE_SPLIT_MIN_ELEMENTS}): a momentum ` +
      'update of placed arrays on one thread, and split over two at every size; µs per call\n',
  );
  const one = await backend(1, {});
  const two = await backend(2, { UPDATE_SPLIT_MIN_ELEMENTS: 0 });
  const step = { learningRate: 1e-9, momentum: 0.9, gradScale: 1, nesterov: false };
  const rows: string[][] = [];
  for (const n of [1 << 12, 1 << 13, 1 << 14, 1 << 15, 1 << 16, 1 << 17]) {
    const [g, v, theta] = [values(n, 1), values(n, 2), values(n, 3)];
    const onOne = [placed(one, g), placed(one, v), placed(one, theta)];
    const onTwo = [placed(two, g), placed(two, v), placed(two, theta)];
    const [single, split] = time([
      () => one.momentumUpdate(n, step, onOne[0], onOne[1], onOne[2]),
      () => two.momentumUpdate(n, step, onTwo[0], onTwo[1], onTwo[2]),
    ]);
    rows.push([String(n), µs(single), µs(split)]);
  }
  printTable(['elements', '1 thread', '2 threads'], rows);
  two.dispose();
}

async function splittingALayerKernel(): Promise<void> {
  const { placed: threshold } = DEFAULT_TUNING.LAYER_SPLIT_MIN_ELEMENTS;
  console.log(
    `\nsplitting a layer kernel (LAYER_SPLIT_MIN_ELEMENTS = ${threshold} placed): ReLU, its gradient and batch ` +
      'normalisation (16 channels) of placed arrays on one thread, and split over two at every size; µs per call\n',
  );
  const one = await backend(1, {});
  const two = await backend(2, { LAYER_SPLIT_MIN_ELEMENTS: { placed: 0, staged: Number.POSITIVE_INFINITY } });
  const rows: string[][] = [];
  for (const n of [1 << 12, 1 << 13, 1 << 14, 1 << 15, 1 << 16, 1 << 17]) {
    const layout = { outer: n / 256, channels: 16, inner: 16 };
    const [x, dy] = [values(n, 1), values(n, 2)];
    const channels = [values(16, 3), values(16, 4)];
    const arrays = (on: WasmBackend) => ({
      x: placed(on, x),
      dy: placed(on, dy),
      out: placed(on, new Float32Array(n)),
      xhat: placed(on, new Float32Array(n)),
      mean: placed(on, channels[0]),
      variance: placed(on, channels[1].map(Math.abs)),
      gamma: placed(on, channels[0]),
      beta: placed(on, channels[1]),
    });
    const [a, b] = [arrays(one), arrays(two)];
    const forward = (on: WasmBackend, p: typeof a) => () =>
      on.batchNormForward(layout, 1e-5, p.x, p.mean, p.variance, p.gamma, p.beta, p.xhat, p.out);
    const times = time([
      () => one.relu(n, a.x, a.out),
      () => two.relu(n, b.x, b.out),
      () => one.reluBackward(n, a.x, a.dy, a.out),
      () => two.reluBackward(n, b.x, b.dy, b.out),
      forward(one, a),
      forward(two, b),
    ]);
    rows.push([String(n), ...times.map(µs)]);
  }
  printTable(
    ['elements', 'relu 1', 'relu 2', 'reluBackward 1', 'reluBackward 2', 'batchNormForward 1', 'batchNormForward 2'],
    rows,
  );
  two.dispose();
}

async function splittingAProduct(): Promise<void> {
  const { placed: placedMin, staged: stagedMin } = DEFAULT_TUNING.GEMM_SPLIT_MIN_MACS;
  console.log(
    `\nsplitting a product (GEMM_SPLIT_MIN_MACS = ${placedMin} placed, ${stagedMin} staged): NN products on one ` +
      'thread, and split over two at every size, on placed and on ordinary (staged) arrays; GFLOP/s\n',
  );
  const one = await backend(1, {});
  const two = await backend(2, { GEMM_SPLIT_MIN_MACS: { placed: 0, staged: 0 } });
  const rows: string[][] = [];
  for (const [m, n, k] of [
    [64, 64, 32],
    [64, 64, 64],
    [64, 64, 128],
    [64, 128, 128],
    [64, 128, 256],
  ]) {
    const [a, b, c] = [values(m * k, 1), values(k * n, 2), new Float32Array(m * n)];
    const [pa1, pb1, pc1] = [placed(one, a, 3 * k), placed(one, b), placed(one, c)];
    const [pa2, pb2, pc2] = [placed(two, a, 3 * k), placed(two, b), placed(two, c)];
    const times = time([
      () => one.gemm(false, false, m, n, k, 1, pa1, 0, k, pb1, 0, n, 0, pc1, 0, n),
      () => two.gemm(false, false, m, n, k, 1, pa2, 0, k, pb2, 0, n, 0, pc2, 0, n),
      () => one.gemm(false, false, m, n, k, 1, a, 0, k, b, 0, n, 0, c, 0, n),
      () => two.gemm(false, false, m, n, k, 1, a, 0, k, b, 0, n, 0, c, 0, n),
    ]);
    const macs = m * n * k;
    rows.push([`${m}×${n}×${k}`, `2^${Math.log2(macs)}`, ...times.map((ms) => gflops(macs, ms))]);
  }
  printTable(['m×n×k', 'multiply-adds', 'placed, 1', 'placed, 2', 'staged, 1', 'staged, 2'], rows);
  two.dispose();
}

async function zeroSkipping(): Promise<void> {
  console.log(
    `\nzero skipping (ZERO_SKIP_MIN_COLUMNS = ${DEFAULT_TUNING.ZERO_SKIP_MIN_COLUMNS}, up to ` +
      `${DEFAULT_TUNING.ZERO_SKIP_MAX_PERCENT}% nonzeros below ${DEFAULT_TUNING.ZERO_SKIP_WIDE_COLUMNS} columns, ` +
      `${DEFAULT_TUNING.ZERO_SKIP_MAX_PERCENT_WIDE}% from there, ${DEFAULT_TUNING.ZERO_SKIP_MAX_PERCENT_WIDE_TRANSPOSED}% ` +
      'with A transposed): a 64 × n × 256 product of placed arrays on one thread, A of the given density, with zero ' +
      'skipping forced on and off; time skipping ÷ time dense (below 1: skipping pays)\n',
  );
  const skip = await backend(1, {
    ZERO_SKIP_MIN_COLUMNS: 1,
    ZERO_SKIP_MAX_PERCENT: 100,
    ZERO_SKIP_MAX_PERCENT_WIDE: 100,
    ZERO_SKIP_MAX_PERCENT_WIDE_TRANSPOSED: 100,
  });
  const dense = await backend(1, { ZERO_SKIP_MIN_COLUMNS: 1 << 30 });
  const densities = [0.2, 0.4, 0.55, 0.75, 0.9];
  const rows: string[][] = [];
  const [m, k] = [64, 256];
  for (const form of ['NN', 'TN'] as const) {
    for (const n of [32, 64, 128]) {
      const transA = form === 'TN';
      const lda = transA ? m : k;
      const cells: string[] = [];
      for (const density of densities) {
        const a = values(m * k, 1, density);
        const b = values(k * n, 2);
        const [sa, sb, sc] = [placed(skip, a, 3 * k), placed(skip, b), placed(skip, new Float32Array(m * n))];
        const [da, db, dc] = [placed(dense, a, 3 * k), placed(dense, b), placed(dense, new Float32Array(m * n))];
        const [skipping, plain] = time([
          () => skip.gemm(transA, false, m, n, k, 1, sa, 0, lda, sb, 0, n, 0, sc, 0, n),
          () => dense.gemm(transA, false, m, n, k, 1, da, 0, lda, db, 0, n, 0, dc, 0, n),
        ]);
        cells.push((skipping / plain).toFixed(2));
      }
      rows.push([form, String(n), ...cells]);
    }
  }
  printTable(['form', 'columns', ...densities.map((d) => `${Math.round(100 * d)}% nonzero`)], rows);
}

console.log(`Thresholds of the wasm-simd backend (packages/tensor/src/backend/wasm/tuning.ts); ${machine()}`);
console.log(`median of ${rounds} interleaved rounds`);
await stagedOrReference();
await splittingAnUpdate();
await splittingALayerKernel();
await splittingAProduct();
await zeroSkipping();
