// The whole test command (`pnpm check`, which CI runs): build, lint, typecheck, unit tests, packing, the packed-package
// checks (publint and attw, then the tarballs installed and used as a new user would) and API docs, in that order.
// Every step runs even after a failure, so one run reports everything that is wrong; the exit code is non-zero if any
// step failed. The last line is the test count, `N passed, N failed`, which CI reads.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const results = join(root, '.vitest-results.json');
// Packed once, checked twice; outside the repository, so the consumer project cannot resolve the workspace's packages.
const packDir = mkdtempSync(join(tmpdir(), 'mnist-ts-pack-'));

const steps = [
  ['build', 'pnpm', ['run', 'build']],
  ['lint', 'pnpm', ['run', 'lint']],
  ['typecheck', 'pnpm', ['run', 'typecheck']],
  ['test', 'pnpm', ['exec', 'vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${results}`]],
  // The build step has just built dist/: pack it as it is rather than have each package's prepack build it again.
  ['pack', 'node', ['scripts/pack-packages.mjs', packDir, '--no-build']],
  ['packages', 'node', ['scripts/check-packages.mjs', packDir]],
  ['consumer', 'node', ['scripts/check-consumer.mjs', packDir]],
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
rmSync(packDir, { recursive: true, force: true });

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
