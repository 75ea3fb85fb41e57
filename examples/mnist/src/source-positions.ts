import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Rewrites the positions in `stack` that point into the bundle `pnpm mnist` runs (`scripts/start.mjs` writes it, with
 * its source map beside it as `main.mjs.map`) into positions in the TypeScript sources. The map is read only here, when
 * a stack trace is printed: Node.js's `--enable-source-maps` parses it when the bundle loads, which cost a default run
 * some 8 MB of its peak memory (`benchmarks/src/cli-memory.ts`) for traces that most runs never print. Positions the
 * map does not cover, and every position when there is no map (the tests run the sources themselves), stay as they are.
 * @param bundleUrl - the bundle's URL: this module's own, since the bundle contains it
 */
export function mapStackPositions(stack: string, bundleUrl: string = import.meta.url): string {
  if (!bundleUrl.startsWith('file:')) return stack;
  const bundlePath = fileURLToPath(bundleUrl);
  const mapPath = `${bundlePath}.map`;
  const map = readMap(mapPath);
  if (map === undefined) return stack;
  const sourceRoot = dirname(mapPath);
  // A frame names the bundle by URL (ES modules) or by path; line and column are 1-based in both.
  const location = new RegExp(`(?:${escapeRegExp(bundleUrl)}|${escapeRegExp(bundlePath)}):(\\d+):(\\d+)`, 'g');
  return stack.replace(location, (whole, line: string, column: string) => {
    const entry = map.findEntry(Number(line) - 1, Number(column) - 1) as Partial<OriginalPosition>;
    if (entry.originalSource === undefined || entry.originalLine === undefined) return whole;
    const source = entry.originalSource.startsWith('file:')
      ? fileURLToPath(entry.originalSource)
      : resolve(sourceRoot, entry.originalSource);
    return `${source}:${entry.originalLine + 1}:${(entry.originalColumn ?? 0) + 1}`;
  });
}

/** The last map read, by path: an error's causes each have a trace, and the map is a megabyte or more of JSON. */
let lastMap: { path: string; map: SourceMap | undefined } | undefined;

/** The source map at `path`, or undefined when there is none or it cannot be read (a trace as it is beats none). */
function readMap(path: string): SourceMap | undefined {
  if (lastMap?.path !== path) {
    let map: SourceMap | undefined;
    try {
      map = existsSync(path) ? new SourceMap(JSON.parse(readFileSync(path, 'utf8'))) : undefined;
    } catch {
      map = undefined;
    }
    lastMap = { path, map };
  }
  return lastMap.map;
}

/** The part of `SourceMap.findEntry`'s answer used here (0-based), when the position is mapped. */
interface OriginalPosition {
  originalSource: string;
  originalLine: number;
  originalColumn: number;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
