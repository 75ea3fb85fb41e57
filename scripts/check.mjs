// The whole test command (`pnpm check`, which CI runs): build, lint, typecheck, unit tests, packed-package checks and
// API docs, in that order. Every step runs even after a failure, so one run reports everything that is wrong; the
// exit code is non-zero if any step failed. The last line is the test count, `N passed, N failed`, which CI reads.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const results = join(root, '.vitest-results.json');

const steps = [
  ['build', 'pnpm', ['run', 'build']],
  ['lint', 'pnpm', ['run', 'lint']],
  ['typecheck', 'pnpm', ['run', 'typecheck']],
  ['test', 'pnpm', ['exec', 'vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${results}`]],
  ['packages', 'pnpm', ['run', 'check:packages']],
  ['docs', 'pnpm', ['run', 'docs']],
];

rmSync(results, { force: true });
const outcomes = [];
for (const [name, command, args] of steps) {
  console.log(`\n━━ ${name}: ${command} ${args.join(' ')}`);
  const started = performance.now();
  const { status, error } = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  const ok = status === 0 && !error;
  outcomes.push({ name, ok, seconds: (performance.now() - started) / 1000 });
}

console.log('\n━━ summary');
for (const { name, ok, seconds } of outcomes) {
  console.log(`${ok ? '✓' : '✗'} ${name.padEnd(10)} ${seconds.toFixed(1)} s`);
}

let passed = 0;
let failed = 0;
if (existsSync(results)) {
  const report = JSON.parse(readFileSync(results, 'utf8'));
  passed = report.numPassedTests;
  failed = report.numFailedTests;
  rmSync(results, { force: true });
} else {
  console.log('the test step wrote no results');
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(outcomes.every((o) => o.ok) && failed === 0 ? 0 : 1);
