// `pnpm bench`: GFLOP/s of the reference gemm on the products that training the 784-128-64-10 network at batch 64
// performs, beside two naive i-j-k loops measured in the same run, interleaved round by round:
// - "textbook": C[i, j] accumulated in place, exactly as the definition C[i, j] += A[i, p]·B[p, j] reads;
// - "local sum": the same loop with the running sum kept in a local, which a JIT can hold in a register. On V8 it is
//   about 4× faster than the textbook loop, so it is the stricter baseline.
import { jsBackend } from '@mnist/tensor';
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

const rounds = Number(process.env.BENCH_ROUNDS ?? 7);
console.log(`gemm, one thread, ${jsBackend.name} backend; ${machine()}`);
console.log(`median of ${rounds} interleaved rounds; GFLOP/s = 2·m·n·k / time\n`);
const header = ['product', 'form', 'm×n×k', 'textbook', 'local sum', 'gemm', '÷ textbook', '÷ local sum'];
const rows: string[][] = [];
let worstTextbook = Number.POSITIVE_INFINITY;
let worstLocal = Number.POSITIVE_INFINITY;
for (const { what, m, n, k, form } of cases) {
  const a = randomArray(m * k, 1);
  const b = randomArray(k * n, 2);
  const c = new Float32Array(m * n);
  const transA = form === 'TN';
  const transB = form === 'NT';
  const lda = transA ? m : k;
  const ldb = transB ? k : n;
  const samplers = [
    sampler(() => textbook(form, m, n, k, a, b, c)),
    sampler(() => localSum(form, m, n, k, a, b, c)),
    sampler(() => jsBackend.gemm(transA, transB, m, n, k, 1, a, 0, lda, b, 0, ldb, 0, c, 0, n)),
  ];
  const times: number[][] = samplers.map(() => []);
  for (let r = 0; r < rounds; r++) {
    for (const [i, sample] of samplers.entries()) times[i].push(sample());
  }
  const flops = 2 * m * n * k;
  const [textbookRate, localRate, gemmRate] = times.map((t) => flops / median(t) / 1e6);
  if (!what.startsWith('full') && what !== 'square') {
    worstTextbook = Math.min(worstTextbook, gemmRate / textbookRate);
    worstLocal = Math.min(worstLocal, gemmRate / localRate);
  }
  rows.push([
    what,
    form,
    `${m}×${n}×${k}`,
    textbookRate.toFixed(2),
    localRate.toFixed(2),
    gemmRate.toFixed(2),
    `${(gemmRate / textbookRate).toFixed(1)}×`,
    `${(gemmRate / localRate).toFixed(1)}×`,
  ]);
}
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells: string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`;
console.log(line(header));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const row of rows) console.log(line(row));
console.log(
  `\nslowest training shape: ${worstTextbook.toFixed(1)}× the textbook loop, ${worstLocal.toFixed(1)}× the local-sum loop`,
);
