import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The example's directory. */
export const exampleDir = fileURLToPath(new URL('..', import.meta.url));

/**
 * Builds the site exactly as `pnpm web:build` does (the same Vite and config), into a fresh temporary directory, so
 * the tests always see the current sources and never a stale or half-written `dist/`.
 * @returns the directory holding the static site
 */
export function buildSite(): string {
  const outDir = mkdtempSync(join(tmpdir(), 'mnist-web-'));
  const result = spawnSync(
    'pnpm',
    ['exec', 'vite', 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'],
    {
      cwd: exampleDir,
      encoding: 'utf8',
    },
  );
  if (result.status !== 0) throw new Error(`vite build failed:\n${result.stdout}\n${result.stderr}`);
  return outDir;
}
