// Packs every published package exactly as `pnpm publish` would (publishConfig applied, workspace: ranges replaced)
// into one directory, so the checks that follow (check-packages.mjs, check-consumer.mjs) read the same tarballs.
//
//   node scripts/pack-packages.mjs <directory> [--no-build]
//
// Packing runs each package's `prepack` script, which builds it. `--no-build` skips that (pnpm's ignore-scripts
// setting) when dist/ was built a moment ago, as in `pnpm check`, whose build step comes first.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = resolve(import.meta.dirname, '..');

/** The workspace packages that are published (not `private`), with the path pnpm packs each one to in `directory`. */
export function publishedPackages(directory) {
  return readdirSync(join(root, 'packages'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => join(root, 'packages', entry.name))
    .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) }))
    .filter(({ manifest }) => !manifest.private)
    .map(({ dir, manifest: { name, version } }) => ({
      name,
      dir,
      // pnpm's tarball name: `@mnist/nn` 1.2.0 → mnist-nn-1.2.0.tgz
      tarball: join(directory, `${name.replace('@', '').replace('/', '-')}-${version}.tgz`),
    }));
}

/**
 * Packs every published package into `directory` and returns `{ name, tarball }` for each.
 * @param {string} directory
 * @param {{ build?: boolean }} [options] `build: false` packs dist/ as it is, without running `prepack`
 */
export function packPackages(directory, { build = true } = {}) {
  mkdirSync(directory, { recursive: true });
  return publishedPackages(directory).map(({ name, dir, tarball }) => {
    rmSync(tarball, { force: true });
    const args = ['pack', '--pack-destination', directory, ...(build ? [] : ['--config.ignore-scripts=true'])];
    execFileSync('pnpm', args, { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
    if (!existsSync(tarball)) throw new Error(`pnpm pack did not write ${tarball} for ${name}`);
    return { name, tarball };
  });
}

/**
 * The tarballs an earlier `packPackages` left in `directory`, as `{ name, tarball }`. Throws when one is missing, so a
 * failed pack step is reported as such rather than as a check that found nothing to check.
 * @param {string} directory
 */
export function packedTarballs(directory) {
  return publishedPackages(directory).map(({ name, tarball }) => {
    if (!existsSync(tarball)) throw new Error(`${tarball} is missing: the pack step failed or did not run`);
    return { name, tarball };
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [destination, ...flags] = process.argv.slice(2);
  if (!destination || flags.some((flag) => flag !== '--no-build')) {
    console.error('usage: node scripts/pack-packages.mjs <directory> [--no-build]');
    process.exit(2);
  }
  for (const { tarball } of packPackages(resolve(destination), { build: !flags.includes('--no-build') })) {
    console.log(`packed ${tarball}`);
  }
}
