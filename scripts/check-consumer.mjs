// The packed packages as a new user gets them: installed from their tarballs with npm into a fresh project outside
// the repository (offline: the tarballs, which depend on each other, and the few packages they need from outside the
// workspace, packed from the copies the workspace installed), then used from ESM, CommonJS,
// TypeScript and a bundler. Catches what tests from src/ cannot: an entry point bundling its own copy of a class
// (`instanceof` failing across `@mnist/nn` and `@mnist/nn/testing`), published types that need the DOM or @types/node,
// a bundle that no longer tree-shakes.
//
//   node scripts/check-consumer.mjs [tarball-directory]
//
// With a directory, uses the tarballs scripts/pack-packages.mjs left there (`pnpm check` packs once for this and
// check-packages.mjs); without one, packs (and so builds) every package into a temporary directory first.
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { build } from 'esbuild';
import ts from 'typescript';
import { packedTarballs, packPackages, publishedPackages } from './pack-packages.mjs';

const root = resolve(import.meta.dirname, '..');
const fixtures = join(root, 'scripts', 'packed-consumer');
const given = process.argv[2];
const packDir = given ? resolve(given) : mkdtempSync(join(tmpdir(), 'mnist-ts-pack-'));
const project = mkdtempSync(join(tmpdir(), 'mnist-ts-consumer-'));
let failures = 0;

/** Runs one check; a check fails by throwing, and its message is printed under the ✗. */
async function check(name, run) {
  try {
    await run();
    console.log(`✓ ${name}`);
  } catch (error) {
    failures++;
    console.error(`✗ ${name}\n${String(error?.message ?? error).replace(/^/gm, '    ')}`);
  }
}

/** Runs a command in the project and returns its standard output; throws with everything it printed on failure. */
function run(command, args) {
  try {
    return execFileSync(command, args, { cwd: project, encoding: 'utf8', stdio: 'pipe' });
  } catch (error) {
    throw new Error(`${command} ${args.join(' ')} failed:\n${error.stdout ?? ''}${error.stderr ?? ''}`);
  }
}

try {
  const tarballs = given ? packedTarballs(packDir) : packPackages(packDir);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'mnist-ts-consumer', private: true }));
  // A private cache, so that --offline proves the tarballs are all the install needs.
  const cache = join(project, '.npm-cache');
  const outside = packOutsideDependencies(join(project, 'outside'));
  const all = [...tarballs.map((t) => t.tarball), ...outside];
  run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--cache', cache, ...all]);
  for (const file of readdirSync(fixtures)) copyFileSync(join(fixtures, file), join(project, file));

  await check('ESM: every entry point shares one copy of each class', () => {
    process.stdout.write(run('node', ['class-identity.mjs']));
  });
  await check('CommonJS: every entry point shares one copy of each class', () => {
    process.stdout.write(run('node', ['class-identity.cjs']));
  });

  const layerGuide = scaleLayerFromGuide();
  for (const [system, extension, module] of [
    ['ESM', 'mjs', ts.ModuleKind.ESNext],
    ['CommonJS', 'cjs', ts.ModuleKind.CommonJS],
  ]) {
    await check(
      `${system}: checkLayer accepts the Scale layer of docs/writing-a-layer.md, which saves and loads`,
      () => {
        const { outputText } = ts.transpileModule(layerGuide, {
          compilerOptions: { module, target: ts.ScriptTarget.ES2022 },
        });
        writeFileSync(join(project, `writing-a-layer.${extension}`), outputText);
        const printed = run('node', [`writing-a-layer.${extension}`]).trim();
        if (printed !== 'true') throw new Error(`the guide's example printed '${printed}', not 'true'`);
      },
    );
  }

  await check('each source module is in one output file per format (one copy of every class)', () => {
    const duplicates = tarballs.flatMap(({ name }) => duplicatedModules(join(project, 'node_modules', name)));
    if (duplicates.length > 0) throw new Error(duplicates.join('\n'));
  });

  for (const extension of ['mts', 'cts']) {
    copyFileSync(join(fixtures, 'universal-consumer.ts'), join(project, `universal-consumer.${extension}`));
    copyFileSync(join(fixtures, 'node-consumer.ts'), join(project, `node-consumer.${extension}`));
  }
  await check(
    'TypeScript with "lib": ["es2022"] and no DOM or Node types compiles against the main and testing entries',
    () => {
      typecheck('tsconfig.universal.json', { types: [] }, ['universal-consumer.mts', 'universal-consumer.cts']);
    },
  );
  await check('TypeScript with "lib": ["es2022"] and @types/node compiles against the /node entries', () => {
    const typeRoots = [join(root, 'node_modules', '@types')];
    typecheck('tsconfig.node.json', { types: ['node'], typeRoots }, ['node-consumer.mts', 'node-consumer.cts']);
  });

  await check('a bundler keeps only what is imported (tree-shaking)', async () => {
    const leaks = [];
    for (const [source, absent] of [
      ["import { shapeSize } from '@mnist/tensor'; console.log(shapeSize([2, 3]));", ['Tensor', 'Random', 'gemm']],
      ["import { ReLU } from '@mnist/nn'; console.log(new ReLU());", ['Sequential', 'Adam', 'ModelFormatError']],
      ["import { parseIdx } from '@mnist/datasets'; console.log(parseIdx);", ['BatchLoader', 'ElasticDeformation']],
      ["import { OnnxError } from '@mnist/onnx'; console.log(OnnxError);", ['OnnxGraph', 'NodeReader', 'importOnnx']],
    ]) {
      const text = await bundle(source);
      for (const name of absent) {
        if (new RegExp(`(?:class|var|let|const|function)\\s+${name}\\d*\\b`).test(text))
          leaks.push(`${source} bundles ${name}`);
      }
    }
    if (leaks.length > 0) throw new Error(leaks.join('\n'));
  });
  await check('the universal entries bundle for browsers (no Node.js built-in imported)', async () => {
    const entries = ['@mnist/datasets', '@mnist/nn', '@mnist/onnx', '@mnist/tensor'];
    await bundle(entries.map((entry, i) => `import * as e${i} from '${entry}'; console.log(e${i});`).join('\n'));
  });
} catch (error) {
  failures++;
  console.error(`✗ ${error?.message ?? error}`);
} finally {
  rmSync(project, { recursive: true, force: true });
  if (!given) rmSync(packDir, { recursive: true, force: true });
}
if (failures > 0) {
  console.error(`${failures} packed-consumer check(s) failed`);
  process.exit(1);
}

/**
 * Packs what the published packages need from outside the workspace (`@bufbuild/protobuf` for `@mnist/onnx`), and
 * what that needs in turn, from the copies the workspace installed: the install stays offline, with the versions the
 * tests ran against. An installed package is already what its publisher packed, so it is archived as it is, under the
 * `package/` folder npm expects (`npm pack` of a folder in pnpm's store fails). Returns the tarballs' paths.
 */
function packOutsideDependencies(directory) {
  mkdirSync(directory, { recursive: true });
  const tarballs = [];
  const seen = new Set();
  const visit = (packageDir) => {
    const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
    for (const name of Object.keys(manifest.dependencies ?? {})) {
      if (name.startsWith('@mnist/') || seen.has(name)) continue;
      seen.add(name);
      const installed = installedCopy(packageDir, name);
      const tarball = join(directory, `${name.replace('@', '').replace('/', '-')}.tgz`);
      // pnpm's store hard-links identical files; archived as files, since npm skips hard-link entries.
      run('tar', ['-czf', tarball, '--hard-dereference', '--transform', 's,^\\.,package,', '-C', installed, '.']);
      tarballs.push(tarball);
      visit(installed);
    }
  };
  for (const { dir } of publishedPackages(directory)) visit(dir);
  return tarballs;
}

/** Where Node.js would find `name` from `packageDir`: the nearest `node_modules/<name>` up the tree, links resolved. */
function installedCopy(packageDir, name) {
  for (let dir = packageDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(candidate)) return realpathSync(candidate);
    if (dirname(dir) === dir) throw new Error(`${name}, a dependency of ${packageDir}, is not installed`);
  }
}

/** The example of docs/writing-a-layer.md that defines `Scale`, as TypeScript. */
function scaleLayerFromGuide() {
  const guide = readFileSync(join(root, 'docs', 'writing-a-layer.md'), 'utf8');
  const block = [...guide.matchAll(/^```ts\n([\s\S]*?)^```$/gm)]
    .map((m) => m[1])
    .find((code) => /class Scale\b/.test(code));
  if (!block) throw new Error('docs/writing-a-layer.md has no ```ts block defining class Scale');
  return block;
}

/**
 * The source modules bundled into more than one output file of the same format, from the published source maps: each
 * such module is a second copy of its classes. One line per package and format, with a few examples.
 */
function duplicatedModules(packageDir) {
  const dist = join(packageDir, 'dist');
  const outputsOf = new Map(); // format → source → the output files holding it
  for (const map of readdirSync(dist).filter((file) => /\.c?js\.map$/.test(file))) {
    const format = map.endsWith('.cjs.map') ? 'CommonJS' : 'ESM';
    if (!outputsOf.has(format)) outputsOf.set(format, new Map());
    for (const source of JSON.parse(readFileSync(join(dist, map), 'utf8')).sources) {
      const outputs = outputsOf.get(format).get(source) ?? [];
      outputsOf.get(format).set(source, [...outputs, map.replace(/\.map$/, '')]);
    }
  }
  const name = relative(join(packageDir, '..', '..'), packageDir);
  return [...outputsOf].flatMap(([format, sources]) => {
    const repeated = [...sources].filter(([, outputs]) => outputs.length > 1);
    if (repeated.length === 0) return [];
    const examples = repeated.slice(0, 3).map(([source, outputs]) => `${source} in ${outputs.join(', ')}`);
    return [`${name} ${format}: ${repeated.length} source modules in several files, such as ${examples.join('; ')}`];
  });
}

/** Type-checks `files` in the project under a strict config with only the ES2022 library, plus `options`. */
function typecheck(name, options, files) {
  const config = {
    compilerOptions: {
      target: 'es2022',
      lib: ['es2022'],
      module: 'nodenext',
      moduleResolution: 'nodenext',
      strict: true,
      noEmit: true,
      skipLibCheck: false, // the published .d.ts files are what is under test
      ...options,
    },
    files,
  };
  writeFileSync(join(project, name), JSON.stringify(config, null, 2));
  run('node', [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', name]);
}

/** Bundles `source` for browsers from the project's node_modules and returns the code. */
async function bundle(source) {
  const result = await build({
    stdin: { contents: source, resolveDir: project, loader: 'js' },
    absWorkingDir: project,
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    logLevel: 'silent',
  });
  return result.outputFiles[0].text;
}
