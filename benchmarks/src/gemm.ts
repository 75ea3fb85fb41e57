// `pnpm bench`, part 1: GFLOP/s of gemm on the products that training the 784-128-64-10 network at batch 64 performs:
// the WebAssembly SIMD backend on one thread and on two (on ordinary arrays, which it copies into its memory, and on
// arrays placed in its memory, which it uses in place, as a placed model's are), the TypeScript reference, and two naive
// i-j-k loops, all measured in the same run, interleaved round by round. The operands are random and dense; a last
// table runs the first layer's products on a real MNIST batch, whose zeros the wasm gemm skips. The naive loops are:
// - "textbook": C[i, j] accumulated in place, exactly as the definition C[i, j] += A[i, p]·B[p, j] reads;
// - "local sum": the same loop with the running sum kept in a local, which a JIT can hold in a register. On V8 it is
//   about 4× faster than the textbook loop, so it is the stricter baseline.
import { BatchLoader } from '@mnist/datasets';
import { loadMnist } from '@mnist/datasets/node';
import { createWasmBackend, jsBackend, Random, type WasmBackend } from '@mnist/tensor';
import { machine, median, sampler } from './measure.js';

type Form = 'NN' | 'TN' | 'NT';

interface Case {
  what: string;
  m: number;
  n: number;
  k: number;
  form: Form;
}

// For a dense layer with input [64, in] and weight [in, out]: forward x·W is NN (m=64, n=out, k=in); the weight
// gradient xᵀ·dy is TN (m=in, n=out, k=64); the input gradient dy·Wᵀ is NT (m=64, n=in, k=out).
const cases: Case[] = [];
for (const [input, output] of [
  [784, 128],
  [128, 64],
  [64, 10],
]) {
  cases.push({ what: `dense ${input}→${output} forward  x·W`, m: 64, n: output, k: input, form: 'NN' });
  cases.push({ what: `dense ${input}→${output} weight grad xᵀ·dy`, m: input, n: output, k: 64, form: 'TN' });
  cases.push({ what: `dense ${input}→${output} input grad  dy·Wᵀ`, m: 64, n: input, k: output, form: 'NT' });
}
cases.push({ what: 'full test set forward', m: 1000, n: 128, k: 784, form: 'NN' });
cases.push({ what: 'square', m: 512, n: 512, k: 512, form: 'NN' });

/** The textbook triple loop, specialised per form so no branch sits in the inner loop. */
function textbook(form: Form, m: number, n: number, k: number, a: Float32Array, b: Float32Array, c: Float32Array) {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      const ij = i * n + j;
      c[ij] = 0;
      if (form === 'NN') for (let p = 0; p < k; p++) c[ij] += a[i * k + p] * b[p * n + j];
      else if (form === 'TN') for (let p = 0; p < k; p++) c[ij] += a[p * m + i] * b[p * n + j];
      else for (let p = 0; p < k; p++) c[ij] += a[i * k + p] * b[j * k + p];
    }
  }
}

/** The triple loop with its running sum in a local variable. */
function localSum(form: Form, m: number, n: number, k: number, a: Float32Array, b: Float32Array, c: Float32Array) {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      if (form === 'NN') for (let p = 0; p < k; p++) s += a[i * k + p] * b[p * n + j];
      else if (form === 'TN') for (let p = 0; p < k; p++) s += a[p * m + i] * b[p * n + j];
      else for (let p = 0; p < k; p++) s += a[i * k + p] * b[j * k + p];
      c[i * n + j] = s;
    }
  }
}

function randomArray(length: number, seed: number): Float32Array {
  // A tiny LCG is enough for benchmark inputs; the library's Random is for the math.
  const out = new Float32Array(length);
  let state = seed;
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = state / 2 ** 32 - 0.5;
  }
  return out;
}

/**
 * What staging costs the wasm backend on one thread: copying A and B into a plain WebAssembly memory and C back out,
 * as its gemm does, timed on its own.
 */
function stagingCopies(a: Float32Array, b: Float32Array, c: Float32Array): () => void {
  // A plain WebAssembly memory is an ordinary ArrayBuffer to copies, so an ArrayBuffer times the same memcpy.
  const memory = new Float32Array(a.length + b.length + c.length);
  return () => {
    memory.set(a, 0);
    memory.set(b, a.length);
    c.set(memory.subarray(a.length + b.length, a.length + b.length + c.length));
  };
}

/** A copy of `values` placed in `backend`'s own memory, `extra` floats longer. */
function placed(backend: WasmBackend, values: Float32Array, extra = 0): Float32Array {
  const array = (backend.allocate as (length: number) => Float32Array)(values.length + extra);
  array.set(values);
  return array;
}

/** Prints a Markdown table, each column as wide as its widest cell. */
function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of rows) console.log(line(row));
}

const rounds = Number(process.env.BENCH_ROUNDS ?? 11);
const wasm1 = createWasmBackend({ threads: 1 });
const wasm2 = createWasmBackend({ threads: 2 });
if ((await wasm2.ready()) !== 2) throw new Error(`the second gemm thread did not start: ${wasm2.threadFailure}`);
console.log(
  `gemm: the wasm-simd backend on 1 and 2 threads, the TypeScript reference (js) and naive loops; ${machine()}`,
);
console.log(`median of ${rounds} interleaved rounds; GFLOP/s = 2·m·n·k / time\n`);
const header = [
  'product',
  'form',
  'm×n×k',
  'textbook',
  'local sum',
  'js gemm',
  'wasm 1 thread',
  'wasm 2 threads',
  'wasm 1 thread, placed',
  'wasm 2 threads, placed',
  'copies, % of wasm 1',
  'wasm 1 ÷ js',
];
const rows: string[][] = [];
let worstOne = Number.POSITIVE_INFINITY;
let worstPlacedOne = Number.POSITIVE_INFINITY;
let worstTwo = Number.POSITIVE_INFINITY;
for (const { what, m, n, k, form } of cases) {
  const a = randomArray(m * k, 1);
  const b = randomArray(k * n, 2);
  const c = new Float32Array(m * n);
  const transA = form === 'TN';
  const transB = form === 'NT';
  const lda = transA ? m : k;
  const ldb = transB ? k : n;
  // The micro-kernel may read 3 rows of A past the last (see the backend), so a placed A keeps them in its array.
  const [ra1, rb1, rc1] = [placed(wasm1, a, 3 * Math.max(m, k)), placed(wasm1, b), placed(wasm1, c)];
  const [ra, rb, rc] = [placed(wasm2, a, 3 * Math.max(m, k)), placed(wasm2, b), placed(wasm2, c)];
  const samplers = [
    sampler(() => textbook(form, m, n, k, a, b, c)),
    sampler(() => localSum(form, m, n, k, a, b, c)),
    sampler(() => jsBackend.gemm(transA, transB, m, n, k, 1, a, 0, lda, b, 0, ldb, 0, c, 0, n)),
    sampler(() => wasm1.gemm(transA, transB, m, n, k, 1, a, 0, lda, b, 0, ldb, 0, c, 0, n)),
    sampler(() => wasm2.gemm(transA, transB, m, n, k, 1, a, 0, lda, b, 0, ldb, 0, c, 0, n)),
    sampler(() => wasm1.gemm(transA, transB, m, n, k, 1, ra1, 0, lda, rb1, 0, ldb, 0, rc1, 0, n)),
    sampler(() => wasm2.gemm(transA, transB, m, n, k, 1, ra, 0, lda, rb, 0, ldb, 0, rc, 0, n)),
    sampler(stagingCopies(a, b, c)),
  ];
  const times: number[][] = samplers.map(() => []);
  for (let r = 0; r < rounds; r++) {
    for (const [i, sample] of samplers.entries()) times[i].push(sample());
  }
  const flops = 2 * m * n * k;
  const [textbookRate, localRate, jsRate, oneRate, twoRate, placedOneRate, placedRate] = times.map(
    (t) => flops / median(t) / 1e6,
  );
  const copyShare = median(times[7]) / median(times[3]);
  if (!what.startsWith('full') && what !== 'square') {
    worstOne = Math.min(worstOne, oneRate);
    worstPlacedOne = Math.min(worstPlacedOne, placedOneRate);
    worstTwo = Math.min(worstTwo, twoRate);
  }
  rows.push([
    what,
    form,
    `${m}×${n}×${k}`,
    textbookRate.toFixed(2),
    localRate.toFixed(2),
    jsRate.toFixed(2),
    oneRate.toFixed(1),
    twoRate.toFixed(1),
    placedOneRate.toFixed(1),
    placedRate.toFixed(1),
    `${(100 * copyShare).toFixed(0)}%`,
    `${(oneRate / jsRate).toFixed(1)}×`,
  ]);
}
printTable(header, rows);
console.log(
  `\nslowest training shape: ${worstOne.toFixed(1)} GFLOP/s on one thread (${worstPlacedOne.toFixed(1)} on placed ` +
    `arrays, as in training), ${worstTwo.toFixed(1)} GFLOP/s on two (two threads share only the products large ` +
    'enough to pay, GEMM_SPLIT_MIN_MACS in packages/tensor/src/backend/wasm/tuning.ts; smaller ones run on one thread)',
);

// The first layer's products again, with x a batch of MNIST (about 80% of its pixels are 0). GFLOP/s still counts all
// 2·m·n·k operations, so the figure shows what skipping the zeros is worth against the dense rows above.
const { train } = await loadMnist();
const batch = new BatchLoader(train, { batchSize: 64, rng: new Random(1) }).epoch().next().value;
if (!batch) throw new Error('MNIST has no batch');
const pixels = batch.x.data as Float32Array;
let nonzero = 0;
for (const value of pixels) if (value !== 0) nonzero++;
console.log(
  `\nThe 784→128 layer on an MNIST batch (${((100 * nonzero) / pixels.length).toFixed(1)}% of its pixels nonzero); ` +
    `GFLOP/s = 2·m·n·k / time, as above, median of ${rounds} interleaved rounds\n`,
);
const mnistHeader = ['product', 'form', 'm×n×k', 'js gemm', 'wasm 1 thread, placed', 'wasm 2 threads, placed'];
const mnistRows: string[][] = [];
for (const { what, m, n, k, form } of [
  { what: 'dense 784→128 forward  x·W', m: 64, n: 128, k: 784, form: 'NN' },
  { what: 'dense 784→128 weight grad xᵀ·dy', m: 784, n: 128, k: 64, form: 'TN' },
] as const) {
  const transA = form === 'TN';
  const b = randomArray(k * n, 2);
  const c = new Float32Array(m * n);
  const lda = transA ? m : k;
  const [ra1, rb1, rc1] = [placed(wasm1, pixels, 3 * 784), placed(wasm1, b), placed(wasm1, c)];
  const [ra, rb, rc] = [placed(wasm2, pixels, 3 * 784), placed(wasm2, b), placed(wasm2, c)];
  const samplers = [
    sampler(() => jsBackend.gemm(transA, false, m, n, k, 1, pixels, 0, lda, b, 0, n, 0, c, 0, n)),
    sampler(() => wasm1.gemm(transA, false, m, n, k, 1, ra1, 0, lda, rb1, 0, n, 0, rc1, 0, n)),
    sampler(() => wasm2.gemm(transA, false, m, n, k, 1, ra, 0, lda, rb, 0, n, 0, rc, 0, n)),
  ];
  const times: number[][] = samplers.map(() => []);
  for (let r = 0; r < rounds; r++) {
    for (const [i, sample] of samplers.entries()) times[i].push(sample());
  }
  const rates = times.map((t) => ((2 * m * n * k) / median(t) / 1e6).toFixed(1));
  mnistRows.push([what, form, `${m}×${n}×${k}`, ...rates]);
}
printTable(mnistHeader, mnistRows);
wasm2.dispose();
