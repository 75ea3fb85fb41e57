// What a newcomer does first, in a copy of the working tree as a fresh clone would have it (tracked and new files, no
// node_modules, no dist/): `pnpm install` must print no warning, and packing the packages before any build must give
// tarballs holding every file their package.json points to (each package's prepack builds it).
//
//   node scripts/check-fresh-clone.mjs
//
// Not part of `pnpm check`: it installs and builds the whole workspace again, a minute or two. Packages come from
// pnpm's store when they are there (--prefer-offline), so after one `pnpm install` it needs no network.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const copy = mkdtempSync(join(tmpdir(), 'mnist-ts-fresh-'));
const tarballs = join(copy, 'tarballs');
const problems = [];

/** Runs a command in the copy; returns everything it printed, and throws with it if the command fails. */
function run(command, args) {
  try {
    return execFileSync(command, args, { cwd: copy, encoding: 'utf8', stdio: 'pipe' });
  } catch (error) {
    throw new Error(`${command} ${args.join(' ')} failed:\n${error.stdout ?? ''}${error.stderr ?? ''}`);
  }
}

try {
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: root,
    encoding: 'utf8',
  })
    .split('\0')
    .filter((file) => file && existsSync(join(root, file))); // a tracked file deleted in the working tree is gone
  for (const file of files) {
    mkdirSync(dirname(join(copy, file)), { recursive: true });
    cpSync(join(root, file), join(copy, file));
  }

  const installed = run('pnpm', ['install', '--prefer-offline', '--frozen-lockfile']);
  const warnings = installed.split('\n').filter((line) => /\bWARN\b|Warning|Ignored build scripts/.test(line));
  if (warnings.length > 0) problems.push(`pnpm install printed warnings:\n${installed}`);
  else console.log('✓ pnpm install in a fresh clone prints no warning');

  // The command docs/getting-started.md gives for installing before the first release.
  run('pnpm', ['-r', '--filter', './packages/*', 'pack', '--pack-destination', tarballs]);
  for (const tarball of readdirSync(tarballs)) {
    const listed = new Set(run('tar', ['tzf', join(tarballs, tarball)]).split('\n'));
    const manifest = JSON.parse(run('tar', ['xzf', join(tarballs, tarball), '-O', 'package/package.json']));
    const named = [manifest.main, manifest.module, manifest.types, ...leaves(manifest.exports)];
    const targets = [...new Set(named.filter(Boolean))];
    const missing = targets.map((target) => join('package', target)).filter((path) => !listed.has(path));
    if (missing.length > 0) problems.push(`${tarball}, packed before any build, lacks ${missing.join(', ')}`);
    else console.log(`✓ ${tarball}, packed before any build, holds all ${targets.length} files its package.json names`);
  }
} catch (error) {
  problems.push(error.message);
} finally {
  rmSync(copy, { recursive: true, force: true });
}
for (const problem of problems) console.error(`✗ ${problem}`);
process.exit(problems.length > 0 ? 1 : 0);

/** Every path string in an `exports` map, except the package.json self-reference. */
function leaves(exports) {
  if (typeof exports === 'string') return exports.endsWith('package.json') ? [] : [exports];
  return Object.values(exports ?? {}).flatMap(leaves);
}
