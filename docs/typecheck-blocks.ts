// The machinery the docs tests share: code blocks taken from Markdown guides (snippets.test.ts) or from TSDoc
// `@example`s (tsdoc-examples.test.ts) are written out as modules, then type-checked together in one TypeScript
// program against the workspace's sources, the way a user's code would be.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/** The repository's root directory. */
export const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** A code block written out as a module, and a way to say where each of its lines came from. */
export interface WrittenBlock {
  /** The module's path. */
  path: string;
  /** Where the module's 0-based line `line` came from, as `file:line` (plus anything that helps find it). */
  origin(line: number): string;
  /**
   * The libraries to check it against instead of the root tsconfig's Node.js types, such as the DOM's for code that
   * runs in a page (`['lib.es2022.d.ts', 'lib.dom.d.ts']`).
   */
  lib?: readonly string[];
}

/** A workspace package: its name, directory and the entry points its `exports` map gives the `@mnist/source` condition. */
export interface WorkspacePackage {
  name: string;
  /** Relative to the root: `packages/nn`. */
  dir: string;
  /** Module specifier → source file: `@mnist/nn/node` → `/…/packages/nn/src/node.ts`. */
  entries: Map<string, string>;
}

/** The packages under `packages/`, read from their manifests. */
export function workspacePackages(): WorkspacePackage[] {
  const found: WorkspacePackage[] = [];
  for (const dir of readdirSync(join(ROOT, 'packages'))) {
    const manifestPath = join(ROOT, 'packages', dir, 'package.json');
    if (!existsSync(manifestPath)) continue;
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    const entries = new Map<string, string>();
    for (const [key, target] of Object.entries<Record<string, unknown> | string>(manifest.exports ?? {})) {
      const source = typeof target === 'object' ? target['@mnist/source'] : undefined;
      if (typeof source === 'string')
        entries.set(`${manifest.name}${key.slice(1)}`, join(ROOT, 'packages', dir, source));
    }
    found.push({ name: manifest.name, dir: `packages/${dir}`, entries });
  }
  return found;
}

/** `node_modules/.cache/<name>`: git-ignored, and outside `docs/` so vitest never collects what is written there. */
export function blockDir(name: string): string {
  return join(ROOT, 'node_modules', '.cache', name);
}

/**
 * Empties {@link blockDir} and links every workspace package into its `node_modules`, so blocks import `@mnist/*` by
 * name, as users do. Returns the directory.
 */
export function freshBlockDir(name: string): string {
  const dir = blockDir(name);
  rmSync(dir, { recursive: true, force: true });
  for (const pkg of workspacePackages()) {
    const link = join(dir, 'node_modules', pkg.name);
    mkdirSync(join(link, '..'), { recursive: true });
    symlinkSync(join(ROOT, pkg.dir), link, 'junction');
  }
  return dir;
}

/** Writes a block as a module. `export {}` makes it one even without imports, so two blocks may both declare `x`. */
export function writeBlock(path: string, code: string): void {
  writeFileSync(path, `${code}\nexport {};\n`);
}

/**
 * The root tsconfig's options (strict; `customConditions: ['@mnist/source']`, so imports resolve to `src/`; Node's
 * types), without any output.
 */
export function blockCompilerOptions(): ts.CompilerOptions {
  const { config } = ts.readConfigFile(join(ROOT, 'tsconfig.json'), ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(config, ts.sys, ROOT);
  return { ...parsed.options, noEmit: true, declaration: false, sourceMap: false };
}

/**
 * Type-checks written blocks in one program (one per block would take minutes) and returns each block's syntactic
 * and semantic errors, one line each, `origin: TS2339 message`, keyed by the block's path. Only the blocks' own
 * errors count: the packages they import are type-checked by `pnpm typecheck`.
 */
export function typecheckBlocks(blocks: readonly WrittenBlock[], oldProgram?: ts.Program): Map<string, string[]> {
  // One program per set of libraries: the DOM and the worker library cannot share one, and Node.js's types must not
  // leak into browser code.
  const options = blockCompilerOptions();
  const programs = new Map<string | undefined, ts.Program>();
  for (const key of new Set(blocks.map((b) => b.lib?.join()))) {
    const group = blocks.filter((b) => b.lib?.join() === key);
    const lib = group[0].lib;
    const groupOptions = lib ? { ...options, lib: [...lib], types: [] } : options;
    programs.set(key, ts.createProgram({ rootNames: group.map((b) => b.path), options: groupOptions, oldProgram }));
  }
  const found = new Map<string, string[]>();
  for (const block of blocks) {
    const program = programs.get(block.lib?.join()) as ts.Program;
    const source = program.getSourceFile(block.path);
    if (!source) throw new Error(`${block.origin(0)}: the compiler did not load ${block.path}`);
    const diagnostics = [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)];
    found.set(
      block.path,
      diagnostics.map((d) => {
        const { line } = source.getLineAndCharacterOfPosition(d.start ?? 0);
        return `${block.origin(line)}: TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
      }),
    );
  }
  return found;
}
