// `pnpm bench`, part 5: the peak memory of the example's own command, `pnpm mnist`, as a user runs it: the default MLP
// run (10 epochs), and `--model cnn` for one epoch (its buffers are all made in the first epoch and reused after).
// Each runs as `pnpm mnist` does, `node examples/mnist/scripts/start.mjs` (which bundles the example and trains in a
// child process); every Node.js process of the run reports the operating system's peak resident set size as it exits
// (src/report-peak-memory.mjs, loaded through NODE_OPTIONS), and the figure is the largest: the training process.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { machine } from './measure.js';

const start = fileURLToPath(new URL('../../examples/mnist/scripts/start.mjs', import.meta.url));
const report = new URL('./report-peak-memory.mjs', import.meta.url).href;
const out = mkdtempSync(join(tmpdir(), 'mnist-bench-'));

/** Every line of `text` that is a JSON object, parsed. */
function jsonLines<T>(text: string): T[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as T);
}

/** Peak RSS in MiB (2²⁰ bytes), test accuracy and training seconds of `pnpm mnist <args>`. */
function run(args: string[]): { peakMb: number; accuracy: number; seconds: number } {
  const child = spawnSync(process.execPath, [start, ...args, '--quiet', '--json', '--out', join(out, 'model.json')], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
    env: { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${report}` },
  });
  if (child.status !== 0) throw new Error(`pnpm mnist ${args.join(' ')} failed:\n${child.stderr}`);
  const peaks = jsonLines<{ peakRssKb: number }>(child.stderr).map((line) => line.peakRssKb);
  const result = jsonLines<{ testAccuracy: number; trainSeconds: number }>(child.stdout).at(-1);
  if (peaks.length === 0 || result === undefined) throw new Error(`pnpm mnist ${args.join(' ')} reported nothing`);
  return { peakMb: Math.max(...peaks) / 1024, accuracy: result.testAccuracy, seconds: result.trainSeconds };
}

console.log(`\nPeak memory of pnpm mnist (resident set size, the whole process); ${machine()}`);
for (const args of [[], ['--model', 'cnn', '--epochs', '1']]) {
  const { peakMb, accuracy, seconds } = run(args);
  console.log(
    `  pnpm mnist ${args.join(' ') || '(default: MLP, 10 epochs)'}: peak ${peakMb.toFixed(0)} MiB; ` +
      `test accuracy ${(100 * accuracy).toFixed(2)}%, training ${seconds.toFixed(1)} s`,
  );
}
rmSync(out, { recursive: true, force: true });
