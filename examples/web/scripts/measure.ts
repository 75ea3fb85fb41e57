// `pnpm web:measure`: the figures of the web example, measured on this machine in one run. Run it alone on an idle
// machine; nothing else should compete for the cores.
//
// 1. Bundle sizes of the built site, raw and gzipped.
// 2. Time from opening the page to the first classified drawing, in fresh browser contexts (nothing cached).
// 3. Training speed in images per second, batch 64 by default, one epoch from the first batch (so the JIT's warm-up is
//    in every figure alike), MLP and CNN: in the page (its own Train button, its Web Worker), served with and without
//    the isolation headers (all threads, one thread), in Node.js (the page's own training code in a fresh process),
//    and TensorFlow.js 4.22 with its wasm backend in a Web Worker of the same Chromium, on the same batches (its
//    plain-JavaScript backend too, where the wasm one cannot train the network). Systems take turns, round after
//    round, and each figure is a median.
//
// Options: --mlp-images N (default 50000), --cnn-images N (5000), --batch-size N (64), --rounds N (3),
// --first-drawing-runs N (5). A quick check that everything runs: --mlp-images 1000 --cnn-images 200 --rounds 1
// --first-drawing-runs 1.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import type { Browser } from 'playwright-core';
import { chooseSettings, drawStrokes, openApp } from '../e2e/app-page.js';
import { buildSite, exampleDir } from '../e2e/build-site.js';
import { launchChromium } from '../e2e/chromium.js';
import { siteScripts } from '../e2e/site-scripts.js';
import { serveStatic } from '../e2e/static-server.js';
import { MARKS } from '../src/panels/draw-panel.js';
import type { TfjsRequest, TfjsResult } from './tfjs-worker.js';

const { values } = parseArgs({
  options: {
    'mlp-images': { type: 'string', default: '50000' },
    'cnn-images': { type: 'string', default: '5000' },
    'batch-size': { type: 'string', default: '64' },
    rounds: { type: 'string', default: '3' },
    'first-drawing-runs': { type: 'string', default: '5' },
  },
});
const batchSize = Number(values['batch-size']);
const rounds = Number(values.rounds);
const images = { mlp: Number(values['mlp-images']), cnn: Number(values['cnn-images']) };

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const threads = (n: number) => `${n} thread${n === 1 ? '' : 's'}`;

console.log(`web example measurements; ${cpus()[0]?.model.trim()}, ${cpus().length} cores, Node.js ${process.version}`);
const dist = buildSite();

// 1. Bundle sizes.
console.log('\nbundle sizes (gzip level 9, as a host would serve them; the data files are stored gzipped)');
const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)],
  );
const { onDemand } = siteScripts(dist);
let atStart = 0;
let later = 0;
for (const file of files(dist).sort()) {
  const raw = statSync(file).size;
  const gzipped = file.endsWith('.gz') ? raw : gzipSync(readFileSync(file), { level: 9 }).length;
  const lazy = onDemand.includes(basename(file));
  if (file.endsWith('.js')) {
    if (lazy) later += gzipped;
    else atStart += gzipped;
  }
  const note = lazy ? ' (on demand)' : '';
  console.log(
    `  ${relative(dist, file).padEnd(44)} ${kb(raw).padStart(11)} ${kb(gzipped).padStart(11)} gzipped${note}`,
  );
}
console.log(
  `  JavaScript a visit loads (page and worker, the library included): ${kb(atStart)} gzipped; budget 150 KB`,
);
console.log(`  JavaScript loaded on demand (@mnist/onnx, when an .onnx file is opened): ${kb(later)} gzipped`);

// The TensorFlow.js worker and its wasm files, next to the site (not part of it).
const measureDir = join(dist, 'measure');
mkdirSync(measureDir);
await build({
  entryPoints: [join(exampleDir, 'scripts', 'tfjs-worker.ts')],
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: 'es2022',
  conditions: ['@mnist/source'],
  outfile: join(measureDir, 'tfjs-worker.js'),
  logLevel: 'error',
});
const tfjsWasm = join(
  dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json')),
  'dist',
);
for (const name of readdirSync(tfjsWasm).filter((f) => f.endsWith('.wasm')))
  copyFileSync(join(tfjsWasm, name), join(measureDir, name));
writeFileSync(join(measureDir, 'tfjs.html'), '<!doctype html><title>TensorFlow.js training</title>');

const site = await serveStatic(dist, { isolated: true });
// The same site without the isolation headers: the page on one thread, like TensorFlow.js's wasm backend here.
const plainSite = await serveStatic(dist, { isolated: false });
const browser = await launchChromium();
try {
  await firstDrawing(browser, site.url, Number(values['first-drawing-runs']));
  await trainingSpeed(browser, site.url, plainSite.url);
} finally {
  await browser.close();
  await site.close();
  await plainSite.close();
}

/** 2. Opening the page to the first classified drawing. */
async function firstDrawing(browser: Browser, url: string, runs: number): Promise<void> {
  const ready: number[] = [];
  const classified: number[] = [];
  for (let run = 0; run < runs; run++) {
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    const page = await context.newPage();
    await page.goto(url);
    await page.waitForFunction((name) => performance.getEntriesByName(name).length > 0, MARKS.modelReady);
    // A short stroke, drawn the moment the model is ready.
    await drawStrokes(page, [
      [
        [14, 5],
        [14, 23],
      ],
    ]);
    await page.waitForFunction((name) => performance.getEntriesByName(name).length > 0, MARKS.firstPrediction);
    const marks = await page.evaluate(
      (names) => names.map((name) => performance.getEntriesByName(name)[0].startTime),
      [MARKS.modelReady, MARKS.firstPrediction],
    );
    ready.push(marks[0]);
    classified.push(marks[1]);
    await context.close();
  }
  console.log(`\nfrom opening the page (navigation start), median of ${runs} fresh contexts on 127.0.0.1:`);
  console.log(`  model loaded, ready to classify:       ${median(ready).toFixed(0)} ms`);
  console.log(`  first drawing classified (drawn then): ${median(classified).toFixed(0)} ms`);
}

/** 3. Training speed: the page, Node.js and TensorFlow.js, round after round. */
async function trainingSpeed(browser: Browser, url: string, plainUrl: string): Promise<void> {
  const results = new Map<string, number[]>();
  const notes = new Map<string, string>();
  const record = (key: string, value: number, note: string) => {
    results.set(key, [...(results.get(key) ?? []), value]);
    notes.set(key, note);
  };
  for (let round = 0; round < rounds; round++) {
    for (const architecture of ['mlp', 'cnn'] as const) {
      const n = images[architecture];
      const page = await pageSpeed(browser, url, architecture, n);
      record(`page ${architecture}`, page.imagesPerSecond, `${page.backend}, ${threads(page.threads)}`);
      const single = await pageSpeed(browser, plainUrl, architecture, n);
      record(`page-1 ${architecture}`, single.imagesPerSecond, `${single.backend}, ${threads(single.threads)}`);
      const node = JSON.parse(
        execFileSync(
          process.execPath,
          [
            '--import',
            'tsx',
            '--conditions=@mnist/source',
            join(exampleDir, 'scripts', 'node-training.ts'),
            architecture,
            String(n),
            String(batchSize),
          ],
          { encoding: 'utf8', cwd: exampleDir },
        )
          .trim()
          .split('\n')
          .at(-1) as string,
      ) as { imagesPerSecond: number; backend: string; threads: number };
      record(`node ${architecture}`, node.imagesPerSecond, `${node.backend}, ${threads(node.threads)}`);
      for (const backend of ['wasm', 'cpu'] as const) {
        // TensorFlow.js's plain-JavaScript backend is far slower; it runs only where its wasm backend cannot train.
        if (backend === 'cpu' && results.has(`tfjs-wasm ${architecture}`)) continue;
        const tfjs = await tfjsSpeed(browser, url, {
          siteUrl: url,
          wasmUrl: `${url}measure/`,
          backend,
          architecture,
          images: n,
          batchSize,
        });
        if ('error' in tfjs) {
          notes.set(`tfjs-${backend} ${architecture}`, `failed: ${tfjs.error}`);
          continue;
        }
        const build = backend === 'wasm' ? `, ${tfjs.multithreadSupport ? 'threaded' : 'single-threaded'} build` : '';
        record(
          `tfjs-${backend} ${architecture}`,
          tfjs.imagesPerSecond,
          `${tfjs.backend}, ${threads(tfjs.threads)}${build}`,
        );
      }
      console.log(`  round ${round + 1}, ${architecture}: done`);
    }
  }
  console.log(
    `\ntraining speed, images per second over one epoch of ${images.mlp} (MLP) / ${images.cnn} (CNN) images from the` +
      ` first batch, batch ${batchSize}, median of ${rounds} round(s)`,
  );
  const rows: [string, string][] = [
    ['page', 'the page (Train button, Web Worker)'],
    ['page-1', 'the page, not cross-origin isolated'],
    ['node', 'Node.js, the same training code'],
    ['tfjs-wasm', 'TensorFlow.js 4.22 wasm, Web Worker, same Chromium'],
    ['tfjs-cpu', 'TensorFlow.js 4.22 cpu, Web Worker, same Chromium'],
  ];
  for (const [key, label] of rows) {
    const cells = (['mlp', 'cnn'] as const).map((a) => {
      const xs = results.get(`${key} ${a}`);
      const note = notes.get(`${key} ${a}`);
      return xs ? `${median(xs).toFixed(0).padStart(7)} (${note})` : (note ?? '—');
    });
    if (cells.every((c) => c === '—')) continue;
    console.log(`  ${label.padEnd(52)} MLP ${cells[0]}\n  ${''.padEnd(52)} CNN ${cells[1]}`);
  }
  for (const a of ['mlp', 'cnn'] as const) {
    const page = results.get(`page ${a}`);
    const node = results.get(`node ${a}`);
    if (page && node)
      console.log(
        `  page / Node.js, ${a.toUpperCase()}: ${((100 * median(page)) / median(node)).toFixed(0)}% (goal: at least 80%)`,
      );
  }
}

async function pageSpeed(
  browser: Browser,
  url: string,
  architecture: 'mlp' | 'cnn',
  n: number,
): Promise<{ imagesPerSecond: number; backend: string; threads: number }> {
  const { page } = await openApp(browser, url);
  try {
    await chooseSettings(page, { architecture, epochs: 1, trainSize: n, batchSize });
    await page.click('#train-button');
    await page.waitForFunction(
      () => document.getElementById('progress-text')?.dataset.imagesPerSecond !== undefined,
      null,
      {
        timeout: 0,
      },
    );
    const status = page.locator('#backend-status');
    return {
      imagesPerSecond: Number(await page.locator('#progress-text').getAttribute('data-images-per-second')),
      backend: (await status.getAttribute('data-backend')) ?? '?',
      threads: Number(await status.getAttribute('data-threads')),
    };
  } finally {
    await page.context().close();
  }
}

async function tfjsSpeed(browser: Browser, url: string, request: TfjsRequest): Promise<TfjsResult> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(`${url}measure/tfjs.html`);
    return await page.evaluate(
      (r) =>
        new Promise<TfjsResult>((resolve) => {
          const worker = new Worker('tfjs-worker.js');
          worker.onmessage = (event: MessageEvent<TfjsResult>) => resolve(event.data);
          worker.onerror = (event) => resolve({ error: event.message, backend: r.backend });
          worker.postMessage(r);
        }),
      request,
    );
  } finally {
    await context.close();
  }
}
