import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The JavaScript files of the built site, by when a visitor's browser downloads them. */
export interface SiteScripts {
  /** Loaded with the page: the page's entry, its training worker and what they import statically. */
  atStart: string[];
  /**
   * Loaded on demand only: the chunks the code imports dynamically (`import('./x.js')`), such as `@mnist/onnx` with
   * its protobuf runtime, fetched when the visitor first opens an `.onnx` file.
   */
  onDemand: string[];
}

/**
 * Sorts the scripts in `dist/assets` into those every visit loads and those loaded on demand, from the dynamic
 * `import()`s in the built code, where the bundler writes each chunk's file name as a literal. The end-to-end tests
 * check the split against what Chromium actually requests.
 */
export function siteScripts(dist: string): SiteScripts {
  const assets = join(dist, 'assets');
  const scripts = readdirSync(assets)
    .filter((file) => file.endsWith('.js'))
    .sort();
  const dynamic = new Set<string>();
  for (const file of scripts) {
    const code = readFileSync(join(assets, file), 'utf8');
    for (const match of code.matchAll(/\bimport\(\s*[`'"]\.\/([\w.-]+\.js)[`'"]\s*\)/g)) dynamic.add(match[1]);
  }
  return { atStart: scripts.filter((f) => !dynamic.has(f)), onDemand: scripts.filter((f) => dynamic.has(f)) };
}
