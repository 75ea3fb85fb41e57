import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mapStackPositions } from './source-positions.js';

// A two-file program bundled as start.mjs bundles the CLI (one ES module, its map linked beside it), then a stack
// trace that points into the bundle is mapped back to the sources.
let dir: string;
let bundle: string;
let generated: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mnist-source-positions-'));
  writeFileSync(join(dir, 'helper.ts'), 'export function fail(): never {\n  throw new Error("boom");\n}\n');
  writeFileSync(join(dir, 'entry.ts'), 'import { fail } from "./helper.js";\n\nfail();\n');
  bundle = join(dir, 'out', 'main.mjs');
  await build({
    entryPoints: [join(dir, 'entry.ts')],
    outfile: bundle,
    bundle: true,
    format: 'esm',
    platform: 'node',
    sourcemap: 'linked',
    logLevel: 'silent',
  });
  generated = readFileSync(bundle, 'utf8');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The bundle's 1-based line and column of the first occurrence of `text`. */
function positionOf(text: string): [number, number] {
  const lines = generated.split('\n');
  const line = lines.findIndex((l) => l.includes(text));
  return [line + 1, lines[line].indexOf(text) + 1];
}

describe('mapStackPositions', () => {
  it('maps frames given by URL or by path to the TypeScript sources', () => {
    const [line, column] = positionOf('throw new Error');
    const url = pathToFileURL(bundle).href;
    const stack = `Error: boom\n    at fail (${url}:${line}:${column})\n    at ${bundle}:${line}:${column}`;
    const mapped = mapStackPositions(stack, url);
    expect(mapped).toBe(
      `Error: boom\n    at fail (${join(dir, 'helper.ts')}:2:3)\n    at ${join(dir, 'helper.ts')}:2:3`,
    );
  });

  it('leaves a trace alone without a map, or where the map has no entry', () => {
    const stack = `Error: boom\n    at ${bundle}:1:1`;
    expect(mapStackPositions(stack, pathToFileURL(join(dir, 'elsewhere.mjs')).href)).toBe(stack);
    expect(mapStackPositions('Error: boom\n    at node:internal/main:1:1', pathToFileURL(bundle).href)).toBe(
      'Error: boom\n    at node:internal/main:1:1',
    );
  });

  it('leaves a trace alone when the map is not valid JSON', () => {
    const broken = join(dir, 'broken.mjs');
    writeFileSync(broken, 'throw 1;\n');
    writeFileSync(`${broken}.map`, '{ not json');
    const stack = `Error: boom\n    at ${broken}:1:1`;
    expect(mapStackPositions(stack, pathToFileURL(broken).href)).toBe(stack);
  });
});
