// Packs every published package exactly as `pnpm publish` would (publishConfig applied, workspace: ranges
// replaced) and checks the tarball with publint (package.json and exports) and @arethetypeswrong/cli (types under
// every module resolution). Run after `pnpm build`.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const packDir = join(root, '.pack');
rmSync(packDir, { recursive: true, force: true });
mkdirSync(packDir);

const packages = readdirSync(join(root, 'packages'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => join(root, 'packages', entry.name))
  .filter((dir) => !JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).private);

let failures = 0;
for (const dir of packages) {
  const name = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name;
  const before = new Set(readdirSync(packDir));
  execFileSync('pnpm', ['pack', '--pack-destination', packDir], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
  const tarball = readdirSync(packDir).find((file) => !before.has(file));
  if (!tarball) throw new Error(`pnpm pack produced no tarball for ${name}`);
  const path = join(packDir, tarball);
  for (const [tool, args] of [
    ['publint', ['run', path, '--strict', '--pack', 'false']],
    ['attw', [path, '--profile', 'node16', '--format', 'table-flipped', '--no-color', '--no-emoji']],
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
rmSync(packDir, { recursive: true, force: true });
if (failures > 0) {
  console.error(`${failures} package check(s) failed`);
  process.exit(1);
}
