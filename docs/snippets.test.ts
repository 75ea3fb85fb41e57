// Code in the README and the guides is part of the test suite, so it cannot rot: every fenced block tagged `ts` in
// README.md and docs/*.md is typechecked against the workspace and then run. Blocks that cannot run on their own say
// so in the info string: ```ts skip-run (typechecked only: a signature, code that needs the reader's own `myGemm`, a
// test file) or ```ts no-check (neither). Code for a page or a Web Worker is ```ts browser or ```ts worker:
// typechecked against the DOM or the worker library instead of Node.js's types, and not run (the web example's
// end-to-end tests run the same code in Chromium). Other languages (```sh) are ignored.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
// Git-ignored, and outside `docs/` so vitest never collects the generated files.
const cacheDir = join(root, 'node_modules', '.cache', 'snippets');
const MODES = ['run', 'skip-run', 'no-check', 'browser', 'worker'] as const;
/** The libraries each mode is typechecked against: Node.js's types for the default, a browser's for the others. */
const LIBS: Partial<Record<(typeof MODES)[number], string[]>> = {
  browser: ['lib.es2022.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
  worker: ['lib.es2022.d.ts', 'lib.webworker.d.ts'],
};

interface Snippet {
  /** Markdown file, relative to the repository root. */
  file: string;
  /** 1-based line of the block's first code line in `file`. */
  line: number;
  code: string;
  mode: (typeof MODES)[number];
  /** The temporary module the block is written to. */
  path: string;
}

function snippetsOf(file: string): Snippet[] {
  const lines = readFileSync(join(root, file), 'utf8').split(/\r?\n/);
  const found: Snippet[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(`{3,}|~{3,})\s*(\S*)\s*(.*)$/.exec(lines[i]);
    if (!open) continue;
    const end = lines.findIndex((l, j) => j > i && l.trimEnd() === open[1]);
    if (end < 0) throw new Error(`${file}:${i + 1}: unclosed code block`);
    if (open[2] === 'ts') {
      const mode = open[3].trim() || 'run';
      if (!(MODES as readonly string[]).includes(mode)) {
        throw new Error(`${file}:${i + 1}: unknown mode '${mode}' after ts; use skip-run, no-check, browser or worker`);
      }
      const name = `${file.replace(/\.md$/, '').replace(/[^\w]+/g, '-')}-${i + 2}.ts`;
      const code = lines.slice(i + 1, end).join('\n');
      found.push({ file, line: i + 2, code, mode: mode as Snippet['mode'], path: join(cacheDir, name) });
    }
    i = end;
  }
  return found;
}

const markdown = [
  'README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
  ...readdirSync(join(root, 'packages'))
    .filter((p) => existsSync(join(root, 'packages', p, 'README.md')))
    .map((p) => `packages/${p}/README.md`),
];
const snippets = markdown.flatMap(snippetsOf);
const diagnostics = new Map<string, string[]>();
const ran = new Set<Snippet>();

beforeAll(() => {
  rmSync(cacheDir, { recursive: true, force: true });
  // Snippets import `@mnist/*` by name, as users do: link each workspace package where module resolution looks.
  for (const dir of readdirSync(join(root, 'packages'))) {
    const manifest = join(root, 'packages', dir, 'package.json');
    if (!existsSync(manifest)) continue;
    const link = join(cacheDir, 'node_modules', JSON.parse(readFileSync(manifest, 'utf8')).name);
    mkdirSync(join(link, '..'), { recursive: true });
    symlinkSync(join(root, 'packages', dir), link, 'junction');
  }
  // `export {}` makes every block a module, so two blocks may both declare `const x`; it adds no line.
  for (const s of snippets) writeFileSync(s.path, `${s.code}\nexport {};\n`);

  // The root tsconfig: strict, `customConditions: ['@mnist/source']` (imports resolve to src/), Node types.
  const { config } = ts.readConfigFile(join(root, 'tsconfig.json'), ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(config, ts.sys, root);
  const checked = snippets.filter((s) => s.mode !== 'no-check');
  const options = { ...parsed.options, noEmit: true, declaration: false, sourceMap: false };
  // One program per set of libraries: the DOM and the worker library cannot share one, and Node.js's types must not
  // leak into browser code.
  const programs = new Map<string | undefined, ts.Program>();
  for (const mode of new Set(checked.map((s) => s.mode))) {
    const lib = LIBS[mode];
    const key = lib?.join();
    if (programs.has(key)) continue;
    const rootNames = checked.filter((s) => LIBS[s.mode]?.join() === key).map((s) => s.path);
    programs.set(key, ts.createProgram({ rootNames, options: lib ? { ...options, lib, types: [] } : options }));
  }
  for (const s of checked) {
    const program = programs.get(LIBS[s.mode]?.join()) as ts.Program;
    const source = program.getSourceFile(s.path);
    if (!source) throw new Error(`${s.file}:${s.line}: the compiler did not load ${s.path}`);
    const found = [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)];
    diagnostics.set(
      s.path,
      found.map((d) => {
        const { line } = source.getLineAndCharacterOfPosition(d.start ?? 0);
        return `${s.file}:${s.line + line}: TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
      }),
    );
  }
}, 120_000);

// One suite per file that has checked blocks (vitest rejects an empty suite).
const checkedFiles = markdown.filter((file) => snippets.some((s) => s.file === file && s.mode !== 'no-check'));
describe.each(checkedFiles)('%s', (file) => {
  for (const s of snippets.filter((x) => x.file === file && x.mode !== 'no-check')) {
    it(`line ${s.line} typechecks`, () => {
      expect(diagnostics.get(s.path)?.join('\n')).toBe('');
    });
    if (s.mode !== 'run') continue;
    it(`line ${s.line} runs`, async () => {
      try {
        await import(pathToFileURL(s.path).href);
      } catch (error) {
        throw new Error(`${s.file}:${s.line}: the snippet threw: ${error}`, { cause: error });
      }
      ran.add(s);
    });
  }
});

it('ran every runnable snippet, including at least one from README.md', () => {
  expect([...ran].filter((s) => s.file === 'README.md').length).toBeGreaterThan(0);
  expect(ran.size).toBe(snippets.filter((s) => s.mode === 'run').length);
});
