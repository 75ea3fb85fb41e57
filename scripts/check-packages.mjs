// Checks every packed package with publint (package.json and exports) and @arethetypeswrong/cli (types under every
// module resolution).
//
//   node scripts/check-packages.mjs [tarball-directory]
//
// With a directory, checks the tarballs scripts/pack-packages.mjs left there (`pnpm check` packs once for this and
// check-consumer.mjs); without one, packs (and so builds) every package into a temporary directory first.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { packedTarballs, packPackages } from './pack-packages.mjs';

const root = resolve(import.meta.dirname, '..');
const given = process.argv[2];
const packDir = given ? resolve(given) : mkdtempSync(join(tmpdir(), 'mnist-ts-pack-'));

let failures = 0;
try {
  const tarballs = given ? packedTarballs(packDir) : packPackages(packDir);
  for (const { name, tarball } of tarballs) {
    for (const [tool, args] of [
      ['publint', ['run', tarball, '--strict', '--pack', 'false']],
      ['attw', [tarball, '--profile', 'node16', '--format', 'table-flipped', '--no-color', '--no-emoji']],
    ]) {
      try {
        execFileSync(join(root, 'node_modules', '.bin', tool), args, { cwd: root, stdio: 'inherit' });
        console.log(`✓ ${tool} ${name}`);
      } catch {
        console.error(`✗ ${tool} ${name}`);
        failures++;
      }
    }
  }
} finally {
  if (!given) rmSync(packDir, { recursive: true, force: true });
}
if (failures > 0) {
  console.error(`${failures} package check(s) failed`);
  process.exit(1);
}
