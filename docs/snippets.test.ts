// Code in the README and the guides is part of the test suite, so it cannot rot: every fenced block tagged `ts` in
// README.md, docs/*.md and packages/*/README.md is typechecked against the workspace and then run. Blocks that cannot
// run on their own say so in the info string: ```ts skip-run (typechecked only: a signature, code that needs the
// reader's own `myGemm`, a test file) or ```ts no-check (neither). Code for a page or a Web Worker is ```ts browser or
// ```ts worker: typechecked against the DOM or the worker library instead of Node.js's types, and not run (the web
// example's end-to-end tests run the same code in Chromium). Other languages (```sh) are ignored.
//
// A block that states the accuracy it reaches does so in a comment, `accuracy ≈ 92.5 ± 1.5%`, and logs the result
// of `evaluate` (`{ loss, accuracy }`): the test asserts that the last accuracy the block logs is within the stated
// tolerance of the stated figure, so the figure is what the code does. Such a block must run.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { blockDir, freshBlockDir, ROOT, typecheckBlocks, writeBlock } from './typecheck-blocks.js';

const MODES = ['run', 'skip-run', 'no-check', 'browser', 'worker'] as const;
/** The libraries each mode is typechecked against: Node.js's types for the default, a browser's for the others. */
const LIBS: Partial<Record<(typeof MODES)[number], string[]>> = {
  browser: ['lib.es2022.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
  worker: ['lib.es2022.d.ts', 'lib.webworker.d.ts'],
};
const cacheDir = blockDir('snippets');
const CLAIM = /accuracy ≈ (\d+(?:\.\d+)?) ± (\d+(?:\.\d+)?)%/;

interface Snippet {
  /** Markdown file, relative to the repository root. */
  file: string;
  /** 1-based line of the block's first code line in `file`. */
  line: number;
  code: string;
  mode: (typeof MODES)[number];
  /** The stated test accuracy and its tolerance, in percent, when the block states one. */
  claim: { percent: number; tolerance: number } | undefined;
  /** The temporary module the block is written to. */
  path: string;
}

function snippetsOf(file: string): Snippet[] {
  const lines = readFileSync(join(ROOT, file), 'utf8').split(/\r?\n/);
  const found: Snippet[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(`{3,}|~{3,})\s*(\S*)\s*(.*)$/.exec(lines[i]);
    if (!open) continue;
    const end = lines.findIndex((l, j) => j > i && l.trimEnd() === open[1]);
    if (end < 0) throw new Error(`${file}:${i + 1}: unclosed code block`);
    if (open[2] === 'ts') {
      const mode = open[3].trim() || 'run';
      if (!(MODES as readonly string[]).includes(mode)) {
        throw new Error(`${file}:${i + 1}: unknown mode '${mode}' after ts; use ${MODES.slice(1).join(', ')}`);
      }
      const name = `${file.replace(/\.md$/, '').replace(/[^\w]+/g, '-')}-${i + 2}.ts`;
      const code = lines.slice(i + 1, end).join('\n');
      const stated = CLAIM.exec(code);
      const claim = stated ? { percent: Number(stated[1]), tolerance: Number(stated[2]) } : undefined;
      if (claim && mode !== 'run') throw new Error(`${file}:${i + 2}: a block that states an accuracy must run`);
      found.push({ file, line: i + 2, code, mode: mode as Snippet['mode'], claim, path: join(cacheDir, name) });
    }
    i = end;
  }
  return found;
}

const markdown = [
  'README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
  ...readdirSync(join(ROOT, 'packages'))
    .filter((p) => readdirSync(join(ROOT, 'packages', p)).includes('README.md'))
    .map((p) => `packages/${p}/README.md`),
];
const snippets = markdown.flatMap(snippetsOf);
let diagnostics = new Map<string, string[]>();
const ran = new Set<Snippet>();

beforeAll(() => {
  freshBlockDir('snippets');
  for (const s of snippets) writeBlock(s.path, s.code);
  const checked = snippets.filter((s) => s.mode !== 'no-check');
  diagnostics = typecheckBlocks(
    checked.map((s) => ({ path: s.path, origin: (line) => `${s.file}:${s.line + line}`, lib: LIBS[s.mode] })),
  );
}, 120_000);

/** The accuracy in the last `{ loss, accuracy }` (or any object with a numeric `accuracy`) among logged values. */
function lastLoggedAccuracy(calls: unknown[][]): number | undefined {
  const values = calls
    .flat()
    .filter((v): v is { accuracy: number } => typeof (v as { accuracy?: unknown })?.accuracy === 'number');
  return values.at(-1)?.accuracy;
}

// One suite per file that has checked blocks (vitest rejects an empty suite).
const checkedFiles = markdown.filter((file) => snippets.some((s) => s.file === file && s.mode !== 'no-check'));
describe.each(checkedFiles)('%s', (file) => {
  for (const s of snippets.filter((x) => x.file === file && x.mode !== 'no-check')) {
    it(`line ${s.line} typechecks`, () => {
      expect(diagnostics.get(s.path)?.join('\n')).toBe('');
    });
    if (s.mode !== 'run') continue;
    it(`line ${s.line} runs${s.claim ? ` and reaches the accuracy it states` : ''}`, { timeout: 60_000 }, async () => {
      const log = vi.spyOn(console, 'log');
      let logged: unknown[][];
      try {
        await import(pathToFileURL(s.path).href);
      } catch (error) {
        throw new Error(`${s.file}:${s.line}: the snippet threw: ${error}`, { cause: error });
      } finally {
        // Restoring a spy clears its calls: keep them first.
        logged = [...log.mock.calls];
        log.mockRestore();
      }
      ran.add(s);
      if (s.claim) {
        const accuracy = lastLoggedAccuracy(logged);
        expect(accuracy, `${s.file}:${s.line}: logs no { accuracy } to check its claim against`).toBeTypeOf('number');
        const percent = 100 * (accuracy as number);
        expect(
          Math.abs(percent - s.claim.percent),
          `${s.file}:${s.line}: states accuracy ≈ ${s.claim.percent} ± ${s.claim.tolerance}%, reached ${percent.toFixed(2)}%`,
        ).toBeLessThanOrEqual(s.claim.tolerance);
      }
    });
  }
});

it('ran every runnable snippet, including at least one from README.md', () => {
  expect([...ran].filter((s) => s.file === 'README.md').length).toBeGreaterThan(0);
  expect(ran.size).toBe(snippets.filter((s) => s.mode === 'run').length);
});
