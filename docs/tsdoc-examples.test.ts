// Every `@example` in the TSDoc of the packages' sources is type-checked, as the guides' code blocks are
// (snippets.test.ts), so an example cannot call a method that does not exist. The examples are the ```ts blocks after
// an `@example` tag in any doc comment of packages/*/src/**/*.ts, test files excepted. They are checked, not run: most
// need data or a trained model.
//
// What an example may assume, so it can stay short and still be correct code:
// - the exports of its own package, from every entry point (`@mnist/nn`, `@mnist/nn/node`, `@mnist/nn/testing`), as
//   the API reference shows them beside it: the test imports those the example does not import or declare itself;
// - nothing else: anything from another package is imported, and what the reader is assumed to have is declared at
//   the top of the block, which also tells the reader what it is: `declare const model: Sequential;`.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  blockCompilerOptions,
  blockDir,
  freshBlockDir,
  ROOT,
  typecheckBlocks,
  type WorkspacePackage,
  workspacePackages,
  writeBlock,
} from './typecheck-blocks.js';

interface Example {
  /** The source file, relative to the root. */
  file: string;
  /** The documented symbol, such as `BatchLoader` or `Sequential.fit`. */
  symbol: string;
  /** 1-based line of the block's first code line in `file`. */
  line: number;
  code: string;
  pkg: WorkspacePackage;
  /** The module the block is written to. */
  path: string;
}

const TEST_FILE = /\.(test|fixture|test-helper)\.ts$|\.d\.ts$/;

function sourceFiles(pkg: WorkspacePackage): string[] {
  return (readdirSync(join(ROOT, pkg.dir, 'src'), { recursive: true }) as string[])
    .filter((f) => f.endsWith('.ts') && !TEST_FILE.test(f))
    .map((f) => join(pkg.dir, 'src', f))
    .sort();
}

/** The name a doc comment documents: `Class.member` inside a class or interface, `@packageDocumentation` for the file's own. */
function symbolName(node: ts.Node, doc: ts.JSDoc): string {
  if (doc.tags?.some((t) => t.tagName.text === 'packageDocumentation')) return '@packageDocumentation';
  const own = (n: ts.Node): string | undefined => {
    if (ts.isVariableStatement(n)) return n.declarationList.declarations[0]?.name.getText();
    if (ts.isConstructorDeclaration(n)) return 'constructor';
    const name = ts.getNameOfDeclaration(n as ts.Declaration);
    return name?.getText();
  };
  const parts = [own(node) ?? ts.SyntaxKind[node.kind]];
  for (let p = node.parent; p && !ts.isSourceFile(p); p = p.parent) {
    if (ts.isClassLike(p) || ts.isInterfaceDeclaration(p) || ts.isModuleDeclaration(p)) parts.unshift(own(p) ?? '?');
  }
  return parts.join('.');
}

/** The ```ts blocks after each `@example` tag of a doc comment, with the 1-based line of each block's first line. */
function blocksOf(doc: ts.JSDoc, source: ts.SourceFile): { line: number; code: string }[] | undefined {
  const examples = (doc.tags ?? []).filter((t) => t.tagName.text === 'example');
  if (examples.length === 0) return undefined;
  const found: { line: number; code: string }[] = [];
  for (const tag of examples) {
    const first = source.getLineAndCharacterOfPosition(tag.getStart(source)).line;
    const last = source.getLineAndCharacterOfPosition(tag.end).line;
    // A doc comment's lines without their leading ` * `.
    const lines = source.text
      .split('\n')
      .slice(first, last + 1)
      .map((l) => l.replace(/^\s*\/?\*+\/?\s?/, '').replace(/\s*\*\/\s*$/, ''));
    for (let i = 0; i < lines.length; i++) {
      const open = /^(`{3,})\s*(ts|typescript)\s*$/.exec(lines[i]);
      if (!open) continue;
      const end = lines.findIndex((l, j) => j > i && l.trimEnd() === open[1]);
      if (end < 0) throw new Error(`${source.fileName}:${first + i + 1}: unclosed code block in an @example`);
      found.push({ line: first + i + 2, code: lines.slice(i + 1, end).join('\n') });
      i = end;
    }
  }
  return found;
}

function examplesOf(file: string, pkg: WorkspacePackage): { examples: Example[]; bare: string[] } {
  const source = ts.createSourceFile(file, readFileSync(join(ROOT, file), 'utf8'), ts.ScriptTarget.ES2022, true);
  const examples: Example[] = [];
  const bare: string[] = [];
  const seen = new Set<number>();
  const visit = (node: ts.Node) => {
    for (const doc of ts.getJSDocCommentsAndTags(node)) {
      if (!ts.isJSDoc(doc) || seen.has(doc.pos)) continue;
      seen.add(doc.pos);
      const blocks = blocksOf(doc, source);
      const symbol = symbolName(node, doc);
      if (blocks?.length === 0) bare.push(`${file} (${symbol})`);
      for (const { line, code } of blocks ?? []) {
        const name = `${file.replace(/\.ts$/, '').replace(/[^\w]+/g, '-')}-${line}.ts`;
        examples.push({ file, symbol, line, code, pkg, path: join(blockDir('tsdoc-examples'), name) });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { examples, bare };
}

/** The names a block declares or imports at its top level: the implicit imports must not clash with them. */
function declaredNames(code: string): Set<string> {
  const source = ts.createSourceFile('block.ts', code, ts.ScriptTarget.ES2022, true);
  const names = new Set<string>();
  const bind = (name: ts.BindingName) => {
    if (ts.isIdentifier(name)) names.add(name.text);
    else for (const element of name.elements) if (!ts.isOmittedExpression(element)) bind(element.name);
  };
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement)) {
      const clause = statement.importClause;
      if (clause?.name) names.add(clause.name.text);
      const bindings = clause?.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) names.add(bindings.name.text);
      if (bindings && ts.isNamedImports(bindings)) for (const e of bindings.elements) names.add(e.name.text);
    } else if (ts.isVariableStatement(statement)) {
      for (const d of statement.declarationList.declarations) bind(d.name);
    } else if (
      (ts.isFunctionDeclaration(statement) ||
        ts.isClassDeclaration(statement) ||
        ts.isInterfaceDeclaration(statement) ||
        ts.isTypeAliasDeclaration(statement) ||
        ts.isEnumDeclaration(statement)) &&
      statement.name
    ) {
      names.add(statement.name.text);
    }
  }
  return names;
}

/** Each package's exports, entry by entry, each marked as a value or a type only (which must be imported as a type). */
function exportsOf(program: ts.Program, pkg: WorkspacePackage): { from: string; name: string; value: boolean }[] {
  const checker = program.getTypeChecker();
  const found: { from: string; name: string; value: boolean }[] = [];
  for (const [specifier, entry] of pkg.entries) {
    const source = program.getSourceFile(entry);
    const module = source && checker.getSymbolAtLocation(source);
    if (!module) throw new Error(`${entry}: the compiler did not load ${specifier}'s entry`);
    for (const symbol of checker.getExportsOfModule(module)) {
      const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      found.push({ from: specifier, name: symbol.name, value: (target.flags & ts.SymbolFlags.Value) !== 0 });
    }
  }
  return found;
}

/** The import lines that give a block its package's exports, skipping names the block has itself. One line per kind and entry. */
function implicitImports(code: string, exported: readonly { from: string; name: string; value: boolean }[]): string[] {
  const own = declaredNames(code);
  const taken = new Set<string>();
  const groups = new Map<string, string[]>();
  for (const { from, name, value } of exported) {
    if (own.has(name) || taken.has(name)) continue;
    taken.add(name);
    const key = `${value ? 'import' : 'import type'} ${from}`;
    groups.set(key, [...(groups.get(key) ?? []), name]);
  }
  return [...groups].map(([key, names]) => {
    const [keyword, from] = [key.slice(0, key.lastIndexOf(' ')), key.slice(key.lastIndexOf(' ') + 1)];
    return `${keyword} { ${names.join(', ')} } from '${from}';`;
  });
}

const packages = workspacePackages();
const collected = packages.flatMap((pkg) => sourceFiles(pkg).map((f) => examplesOf(f, pkg)));
const examples = collected.flatMap((c) => c.examples);
const bare = collected.flatMap((c) => c.bare);
let diagnostics = new Map<string, string[]>();

beforeAll(() => {
  freshBlockDir('tsdoc-examples');
  // A first program over the entry points finds their exports; the second reuses what it parsed.
  const entries = packages.flatMap((p) => [...p.entries.values()]);
  const first = ts.createProgram({ rootNames: entries, options: blockCompilerOptions() });
  const exported = new Map(packages.map((p) => [p.name, exportsOf(first, p)]));
  const written = examples.map((e) => {
    const preamble = implicitImports(e.code, exported.get(e.pkg.name) ?? []);
    writeBlock(e.path, [...preamble, e.code].join('\n'));
    const where = `${e.file}:${e.line} (${e.symbol})`;
    return {
      path: e.path,
      origin: (line: number) =>
        line < preamble.length
          ? `${where}, in the implicit imports`
          : `${e.file}:${e.line + line - preamble.length} (${e.symbol})`,
    };
  });
  diagnostics = typecheckBlocks(written, first);
}, 120_000);

describe.each(packages.map((p) => p.name))('%s', (name) => {
  const own = examples.filter((e) => e.pkg.name === name);
  it.each(own.map((e) => [`${relative(e.pkg.dir, e.file)}:${e.line} ${e.symbol}`, e] as const))(
    '%s typechecks',
    (_, e) => {
      expect(diagnostics.get(e.path)?.join('\n')).toBe('');
    },
  );
});

it('finds the examples: every @example has a ```ts block, and there are dozens of them', () => {
  expect(bare).toEqual([]);
  expect(examples.length).toBeGreaterThan(50);
});
