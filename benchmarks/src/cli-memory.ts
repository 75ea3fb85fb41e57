// `pnpm bench`, part 5: the peak memory of the example's own command, `pnpm mnist`, as a user runs it: the default MLP
// run (10 epochs), and `--model cnn` for one epoch (its buffers are all made in the first epoch and reused after).
// Each runs in a process of its own, `examples/mnist/src/main.ts` with this process's loader flags, and reports the
// operating system's peak resident set size as it exits (src/report-peak-memory.mjs).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { machine } from './measure.js';

const main = fileURLToPath(new URL('../../examples/mnist/src/main.ts', import.meta.url));
const report = fileURLToPath(new URL('./report-peak-memory.mjs', import.meta.url));
const out = mkdtempSync(join(tmpdir(), 'mnist-bench-'));

/** The last line of `text` that parses as JSON. */
function lastJson<T>(text: string): T {
  const line = text
    .trim()
    .split('\n')
    .reverse()
    .find((l) => l.startsWith('{'));
  if (line === undefined) throw new Error(`expected a line of JSON, found:\n${text}`);
  return JSON.parse(line) as T;
}

/** Peak RSS in MB, test accuracy and training seconds of `pnpm mnist <args>`. */
function run(args: string[]): { peakMb: number; accuracy: number; seconds: number } {
  const child = spawnSync(
    process.execPath,
    [...process.execArgv, '--import', report, main, ...args, '--quiet', '--json', '--out', join(out, 'model.json')],
    { encoding: 'utf8', maxBuffer: 1 << 24 },
  );
  if (child.status !== 0) throw new Error(`pnpm mnist ${args.join(' ')} failed:\n${child.stderr}`);
  const { peakRssKb } = lastJson<{ peakRssKb: number }>(child.stderr);
  const { testAccuracy, trainSeconds } = lastJson<{ testAccuracy: number; trainSeconds: number }>(child.stdout);
  return { peakMb: peakRssKb / 1024, accuracy: testAccuracy, seconds: trainSeconds };
}

console.log(`\nPeak memory of pnpm mnist (resident set size, the whole process); ${machine()}`);
for (const args of [[], ['--model', 'cnn', '--epochs', '1']]) {
  const { peakMb, accuracy, seconds } = run(args);
  console.log(
    `  pnpm mnist ${args.join(' ') || '(default: MLP, 10 epochs)'}: peak ${peakMb.toFixed(0)} MB; ` +
      `test accuracy ${(100 * accuracy).toFixed(2)}%, training ${seconds.toFixed(1)} s`,
  );
}
rmSync(out, { recursive: true, force: true });
