// Two properties of the source tree that docs/architecture.md states, checked so they cannot drift: no package has a
// runtime import cycle, and no function is longer than about a hundred lines (the few that are a table, clearer in
// one piece, are listed with the reason).
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const MAX_FUNCTION_LINES = 100;
/** Functions allowed past the limit, by `file:name`, with why one piece reads better. */
const LONG_BY_DESIGN: Record<string, string> = {};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') && !entry.name.includes('.test-')
      ? [path]
      : [];
  });
}

const packages = readdirSync(join(root, 'packages')).map((name) => join(root, 'packages', name, 'src'));

/**
 * The modules `file` imports at run time: every relative `import`/`export … from` except `import type` and
 * `export type` (with `verbatimModuleSyntax`, `import { type A }` still loads the module, so it counts).
 */
function runtimeImports(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, false);
  const found: string[] = [];
  for (const statement of source.statements) {
    let specifier: ts.Expression | undefined;
    if (ts.isImportDeclaration(statement) && !statement.importClause?.isTypeOnly) {
      specifier = statement.moduleSpecifier;
    } else if (ts.isExportDeclaration(statement) && !statement.isTypeOnly) {
      specifier = statement.moduleSpecifier;
    }
    if (!specifier || !ts.isStringLiteral(specifier) || !specifier.text.startsWith('.')) continue;
    found.push(resolve(dirname(file), specifier.text.replace(/\.js$/, '.ts')));
  }
  return found;
}

/** One runtime import cycle in `files`, as a list of paths, or undefined. */
function findCycle(files: string[]): string[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string): string[] | undefined => {
    if (state.get(file) === 'done') return undefined;
    if (state.get(file) === 'visiting') return [...stack.slice(stack.indexOf(file)), file];
    state.set(file, 'visiting');
    stack.push(file);
    for (const next of runtimeImports(file)) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(file, 'done');
    return undefined;
  };
  for (const file of files) {
    const cycle = visit(file);
    if (cycle) return cycle;
  }
  return undefined;
}

/** Every function, method, constructor and accessor with its line count, named `file:name`. */
function functionLengths(file: string): [string, number][] {
  const text = readFileSync(file, 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const found: [string, number][] = [];
  const nameOf = (node: ts.Node): string => {
    const named = node as { name?: ts.Node };
    if (named.name) return named.name.getText(source);
    if (ts.isVariableDeclaration(node.parent)) return node.parent.name.getText(source);
    if (ts.isPropertyAssignment(node.parent)) return node.parent.name.getText(source);
    return `(anonymous at line ${source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1})`;
  };
  const walk = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && (node as ts.FunctionLikeDeclaration).body) {
      const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      found.push([`${relative(root, file)}:${nameOf(node)}`, end - start + 1]);
    }
    ts.forEachChild(node, walk);
  };
  walk(source);
  return found;
}

describe('the source tree', () => {
  for (const dir of packages) {
    it(`${relative(root, dir)} has no runtime import cycle`, () => {
      const cycle = findCycle(sourceFiles(dir));
      expect(cycle?.map((f) => relative(root, f)).join(' → ')).toBeUndefined();
    });
  }

  it('finds a runtime cycle, and ignores one made only of type imports', () => {
    const dir = mkdtempSync(join(tmpdir(), 'import-cycle-'));
    try {
      writeFileSync(join(dir, 'a.ts'), "import { b } from './b.js';\nexport const a = () => b;\n");
      writeFileSync(join(dir, 'b.ts'), "import { type A, c } from './c.js';\nexport const b = c;\n");
      writeFileSync(join(dir, 'c.ts'), "import { a } from './a.js';\nexport type A = 1;\nexport const c = a;\n");
      writeFileSync(join(dir, 'd.ts'), "import type { E } from './e.js';\nexport type D = E;\n");
      writeFileSync(join(dir, 'e.ts'), "export type { D as E } from './d.js';\n");
      expect(findCycle([join(dir, 'a.ts')])?.map((f) => relative(dir, f))).toEqual(['a.ts', 'b.ts', 'c.ts', 'a.ts']);
      expect(findCycle([join(dir, 'd.ts'), join(dir, 'e.ts')])).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it(`has no function over ${MAX_FUNCTION_LINES} lines, but for the tables listed with their reason`, () => {
    const long = packages
      .flatMap((dir) => sourceFiles(dir).flatMap(functionLengths))
      .filter(([name, lines]) => lines > MAX_FUNCTION_LINES && !(name in LONG_BY_DESIGN))
      .map(([name, lines]) => `${name} (${lines} lines)`);
    expect(long).toEqual([]);
  });
});
