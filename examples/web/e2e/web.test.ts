// End-to-end tests of the web example in Debian's Chromium: the built site, served as a static host would, with and
// without the cross-origin isolation headers. Screenshots of each state go to artifacts/web/ at the repository root,
// where CI keeps them.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { loadMnist } from '@mnist/datasets/node';
import { Dense, loadModel, Sequential, Softmax } from '@mnist/nn';
import { exportOnnx, importOnnx } from '@mnist/onnx';
import { maxAbsDiff, Tensor } from '@mnist/tensor';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AppPage,
  chooseSettings,
  drawStrokes,
  openApp,
  padInk,
  prediction,
  previewPixels,
  probabilities,
  recordFrames,
  settle,
} from './app-page.js';
import { buildSite, exampleDir } from './build-site.js';
import { haveChromium, launchChromium } from './chromium.js';
import { type Stroke, skeleton, strokesOf } from './digit-strokes.js';
import { Elu } from './elu-layer.js';
import { referenceMnistFormat } from './reference-mnist-format.js';
import { siteScripts } from './site-scripts.js';
import { type StaticSite, serveStatic } from './static-server.js';

const artifacts = join(exampleDir, '..', '..', 'artifacts', 'web');
/** The first ten MNIST test images, whose skeletons the pen traces: 7 2 1 0 4 1 4 9 5 9. */
const DIGITS = 10;

// The tests share one page and run in order, as a visitor would go through it: draw, train, pause and stop, keep the
// model. Other contexts (no isolation headers, a phone) get pages of their own.
describe.skipIf(!haveChromium)('the web example in Chromium', { timeout: 120_000 }, () => {
  let dist: string;
  let isolated: StaticSite;
  let plain: StaticSite;
  let browser: Browser;
  let app: AppPage;
  const digits: { label: number; strokes: Stroke[] }[] = [];

  beforeAll(async () => {
    dist = buildSite();
    [isolated, plain, browser] = await Promise.all([
      serveStatic(dist, { isolated: true }),
      serveStatic(dist, { isolated: false }),
      launchChromium(),
    ]);
    const { test } = await loadMnist();
    for (let i = 0; i < DIGITS; i++) {
      digits.push({
        label: test.labels[i],
        strokes: strokesOf(skeleton(test.images.subarray(i * 784, (i + 1) * 784))),
      });
    }
    rmSync(artifacts, { recursive: true, force: true });
    mkdirSync(artifacts, { recursive: true });
    app = await openApp(browser, isolated.url);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all([isolated?.close(), plain?.close()]);
    if (dist) rmSync(dist, { recursive: true, force: true });
  });

  const screenshot = (page: AppPage['page'], name: string) =>
    page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });

  it('keeps the JavaScript a visit loads, the library included, under 150 KB gzipped', () => {
    const { atStart, onDemand } = siteScripts(dist);
    // What the page and its worker requested while opening is what the build's static imports say they need.
    expect([...new Set(app.scripts)].sort()).toEqual(atStart);
    expect(atStart.length).toBeGreaterThanOrEqual(2); // the page and the training worker
    const gzipped = (files: string[]) =>
      files.reduce((sum, f) => sum + gzipSync(readFileSync(join(dist, 'assets', f))).length, 0);
    expect(gzipped(atStart)).toBeLessThan(150_000);
    // @mnist/onnx and its protobuf runtime come only when an .onnx file is opened.
    expect(onDemand).toHaveLength(1);
  });

  it('trains on wasm-simd with a thread per core (up to 4) when cross-origin isolated', async () => {
    const status = app.page.locator('#backend-status');
    expect(await status.getAttribute('data-backend')).toBe('wasm-simd');
    const cores = await app.page.evaluate(() => navigator.hardwareConcurrency);
    expect(Number(await status.getAttribute('data-threads'))).toBe(Math.min(4, cores));
    expect(await status.textContent()).toContain('cross-origin isolated');
    expect(await app.page.evaluate(() => crossOriginIsolated)).toBe(true);
    // Chromium validates WebAssembly relaxed SIMD (since 114), so the training worker's products fuse.
    expect(await status.getAttribute('data-relaxed-simd')).toBe('true');
    expect(await status.textContent()).toContain('with fused multiply-adds (WebAssembly relaxed SIMD)');
  });

  it('runs on one thread without the isolation headers, and still classifies', async () => {
    const other = await openApp(browser, plain.url);
    try {
      const status = other.page.locator('#backend-status');
      expect(await other.page.evaluate(() => crossOriginIsolated)).toBe(false);
      expect(await status.getAttribute('data-backend')).toBe('wasm-simd');
      expect(await status.getAttribute('data-threads')).toBe('1');
      expect(await status.textContent()).toContain('does not send the cross-origin isolation headers');
      await drawStrokes(other.page, digits[0].strokes);
      expect(await prediction(other.page)).toBe(digits[0].label);
      await screenshot(other.page, 'not-isolated');
      expect(other.problems).toEqual([]);
    } finally {
      await other.page.context().close();
    }
  });

  it('reads digits traced with the mouse, from the 28×28 image the tests compute on their own', async () => {
    const { page } = app;
    const read: number[] = [];
    for (const digit of digits) {
      await page.click('#clear');
      await drawStrokes(page, digit.strokes);
      const { ink, width, height } = await padInk(page);
      expect(ink.some((v) => v > 0)).toBe(true);
      const expected = referenceMnistFormat(ink, width, height) as Uint8Array;
      const shown = await previewPixels(page);
      let largest = 0;
      for (let i = 0; i < 784; i++) largest = Math.max(largest, Math.abs(shown[i] - expected[i]));
      expect(largest).toBeLessThanOrEqual(1);
      read.push((await prediction(page)) as number);
    }
    const right = read.filter((d, i) => d === digits[i].label).length;
    writeFileSync(
      join(artifacts, 'drawn-digits.json'),
      `${JSON.stringify({ labels: digits.map((d) => d.label), read, right }, null, 2)}\n`,
    );
    expect(right, `read ${read.join(' ')} for ${digits.map((d) => d.label).join(' ')}`).toBeGreaterThanOrEqual(9);
    await screenshot(page, 'drawing');
    await page.locator('#draw').screenshot({ path: join(artifacts, 'draw-panel.png') });
    // Delete on the focused pad clears it, and the bars with it.
    await page.focus('#pad');
    await page.keyboard.press('Delete');
    await settle(page);
    expect(await probabilities(page)).toBeUndefined();
  });

  it('trains the MLP for an epoch in a worker, to ≥ 90% dev accuracy, with frames never 100 ms apart', async () => {
    const { page } = app;
    await drawStrokes(page, digits[1].strokes);
    const before = await probabilities(page);
    await chooseSettings(page, { architecture: 'mlp', epochs: 1, trainSize: 20_000 });
    const stop = await recordFrames(page);
    await page.click('#train-button');
    await page.waitForFunction(
      () => document.getElementById('model-status')?.textContent?.includes('trained here'),
      null,
      {
        timeout: 90_000,
      },
    );
    await page.waitForFunction(() => document.getElementById('model-status')?.textContent?.includes('test images'));
    const frames = await stop();
    expect(frames.longestGap, JSON.stringify(frames)).toBeLessThan(100);
    expect(frames.frames).toBeGreaterThan(frames.ms / 100);

    const progress = page.locator('#progress-text');
    expect(Number(await progress.getAttribute('data-dev-accuracy'))).toBeGreaterThanOrEqual(0.9);
    expect(await progress.getAttribute('data-dev-size')).toBe('10000');
    expect(await progress.textContent()).toMatch(/^Done: 20\u202f000 images/);
    expect(await page.locator('#loss-chart').getAttribute('data-training-points')).toBe(String(Math.ceil(20_000 / 64)));
    expect(await page.locator('#loss-chart').getAttribute('data-dev-points')).toBe('1');
    expect(await page.locator('#accuracy-chart').getAttribute('data-training-points')).toBe(
      String(Math.ceil(20_000 / 64)),
    );
    expect(await page.locator('#accuracy-chart').getAttribute('data-dev-points')).toBe('1');
    // The new model took over the pad: the same drawing, other probabilities.
    const after = await probabilities(page);
    expect(after).toBeDefined();
    expect(after).not.toEqual(before);
    expect(Number(await page.locator('#weights').getAttribute('data-tiles'))).toBe(128);
    expect(Number(await page.locator('#confusion').getAttribute('data-accuracy'))).toBeGreaterThan(0.9);
    expect(await page.locator('#mistakes button').count()).toBeGreaterThan(0);
    await screenshot(page, 'trained');
    await page.locator('#train').screenshot({ path: join(artifacts, 'train-panel.png') });
    await page.locator('#inside').screenshot({ path: join(artifacts, 'inside-panel.png') });
  });

  it('pauses, resumes and stops, and keeps the model trained so far', async () => {
    const { page } = app;
    await chooseSettings(page, { architecture: 'mlp', epochs: 20, trainSize: 50_000 });
    await page.click('#train-button');
    const points = async () => Number(await page.locator('#loss-chart').getAttribute('data-training-points'));
    await page.waitForFunction(() => Number(document.getElementById('loss-chart')?.dataset.trainingPoints) > 0, null, {
      timeout: 60_000,
    });
    await page.click('#pause-button');
    await page.waitForFunction(() => document.getElementById('progress-text')?.dataset.state === 'paused');
    await settle(page);
    const paused = await points();
    await page.waitForTimeout(500);
    expect(await points()).toBe(paused);
    expect(await page.locator('#progress-text').textContent()).toMatch(/^Paused\./);
    await screenshot(page, 'paused');

    await page.click('#pause-button');
    await page.waitForFunction(
      (n) => Number(document.getElementById('loss-chart')?.dataset.trainingPoints) > n,
      paused,
    );
    await page.click('#stop-button');
    await page.waitForFunction(() => document.getElementById('model-status')?.textContent?.includes('stopped early'));
    expect(await page.locator('#progress-text').textContent()).toMatch(/^Stopped after \d+ complete epochs?/);
    expect(await page.locator('#progress-text').getAttribute('data-state')).toBe('idle');
    expect(await page.locator('#train-button').isEnabled()).toBe(true);
  });

  it('downloads the model, opens it again with identical probabilities, and shows the library’s errors', async () => {
    const { page } = app;
    await page.click('#clear');
    await drawStrokes(page, digits[3].strokes);
    const drawn = await probabilities(page);
    expect(drawn).toBeDefined();

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-button')]);
    expect(download.suggestedFilename()).toMatch(/^mnist-mlp-.*\.json$/);
    const file = join(tmpdir(), `mnist-web-${process.pid}.json`);
    await download.saveAs(file);
    const text = readFileSync(file, 'utf8');
    await page.setInputFiles('#open-model', file);
    await page.waitForFunction(
      (name) => document.getElementById('model-status')?.textContent?.includes(name),
      'mnist-web-',
    );
    expect(await probabilities(page)).toEqual(drawn);

    // A file whose first weight lost some of its data: the page shows the error loadModel throws here.
    const corrupt = JSON.parse(text);
    corrupt.weights['0.weight'].data = corrupt.weights['0.weight'].data.slice(0, -8);
    const expected = libraryError(corrupt);
    expect(expected).toMatch(/^ModelFormatError: \$\.weights\["0\.weight"\]\.data: /);
    await page.setInputFiles('#open-model', {
      name: 'corrupt.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(corrupt)),
    });
    await page.locator('#model-error').waitFor({ state: 'visible' });
    expect(await page.locator('#model-error').textContent()).toBe(
      `corrupt.json is not a model this page can use. ${expected}`,
    );
    await screenshot(page, 'corrupt-file');
    // The model in use did not change.
    expect(await probabilities(page)).toEqual(drawn);

    // Not JSON at all, and a valid model that does not classify digits.
    await page.setInputFiles('#open-model', {
      name: 'digit.png',
      mimeType: 'image/png',
      buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47]),
    });
    await page.waitForFunction(() => document.getElementById('model-error')?.textContent?.includes('digit.png'));
    expect(await page.locator('#model-error').textContent()).toContain('ModelFormatError: $: not valid JSON');
    const small = JSON.stringify(new Sequential([new Dense(4, 3)], { seed: 1 }).save());
    await page.setInputFiles('#open-model', {
      name: 'small.json',
      mimeType: 'application/json',
      buffer: Buffer.from(small),
    });
    await page.waitForFunction(() => document.getElementById('model-error')?.textContent?.includes('small.json'));
    expect(await page.locator('#model-error').textContent()).toContain(
      'IncompatibleModelError: the page gives a model 28×28 images',
    );
    rmSync(file, { force: true });
  });

  it('opens ONNX models, ours and a CNN PyTorch trained, and shows the onnx package’s errors', async () => {
    const { page } = app;
    await page.click('#clear');
    await drawStrokes(page, digits[3].strokes);
    const drawn = await probabilities(page);
    expect(drawn).toBeDefined();

    // The model in use, downloaded and exported as ONNX here: the page computes what it computed before, bit for bit.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-button')]);
    const ours = exportOnnx(loadModel(readFileSync(await download.path(), 'utf8')));
    const before = app.scripts.length;
    await openModel(page, 'ours.onnx', ours);
    expect(await probabilities(page)).toEqual(drawn);
    // The first .onnx file brings @mnist/onnx, the one chunk loaded on demand.
    expect(app.scripts.slice(before)).toEqual(siteScripts(dist).onDemand);

    // The example's CNN with batch norm, trained and exported by PyTorch: it reads the drawing as @mnist/onnx does in
    // Node.js, and the worker measures PyTorch's own test accuracy.
    const fixture = join(exampleDir, '..', '..', 'packages', 'onnx', 'test-fixtures');
    const cnnBytes = readFileSync(join(fixture, 'cnn-batchnorm.onnx'));
    const recorded = JSON.parse(readFileSync(join(fixture, 'fixtures.json'), 'utf8')).models['cnn-batchnorm'];
    await openModel(page, 'cnn-batchnorm.onnx', cnnBytes);
    const pixels = await previewPixels(page);
    const image = new Tensor(
      Float32Array.from(pixels, (v) => v / 255),
      [1, 1, 28, 28],
    );
    const expected = importOnnx(cnnBytes).predict(image).data;
    expect(maxAbsDiff((await probabilities(page)) as number[], expected)).toBeLessThanOrEqual(1e-5);
    expect(await prediction(page)).toBe(digits[3].label);
    await page.waitForFunction(
      () => document.getElementById('model-status')?.textContent?.includes('test images'),
      null,
      {
        timeout: 90_000,
      },
    );
    expect(await page.locator('#model-status').textContent()).toContain(
      `${(100 * recorded.test_accuracy).toFixed(2)}% on the 10 000 test images`,
    );
    const cnnProbabilities = await probabilities(page);

    // A file cut short, and a valid ONNX model with an operator that does not import: the page shows the error
    // importOnnx throws for each, and keeps the model in use.
    const unsupported = exportOnnx(new Sequential([new Dense(784, 10), new Elu(), new Softmax()], { seed: 1 }));
    for (const [name, bytes, type] of [
      ['corrupt.onnx', cnnBytes.subarray(0, 4096), 'OnnxFormatError'],
      ['elu.onnx', unsupported, 'UnsupportedOnnxError'],
    ] as const) {
      const error = onnxError(bytes);
      expect(error.startsWith(`${type}: `), error).toBe(true);
      await page.setInputFiles('#open-model', {
        name,
        mimeType: 'application/octet-stream',
        buffer: Buffer.from(bytes),
      });
      await page.waitForFunction((file) => document.getElementById('model-error')?.textContent?.includes(file), name);
      expect(await page.locator('#model-error').textContent()).toBe(
        `${name} is not a model this page can use. ${error}`,
      );
      expect(await probabilities(page)).toEqual(cnnProbabilities);
    }
    await screenshot(page, 'unsupported-onnx');
  });

  it('puts a random test digit, or a test image the model gets wrong, on the pad', async () => {
    const { page } = app;
    await page.click('#clear');
    await page.click('#test-digit');
    await page.waitForFunction(() => document.getElementById('bars')?.dataset.prediction !== undefined);
    await page.click('#clear');
    await settle(page);
    expect(await prediction(page)).toBeUndefined();
    await page.locator('#mistakes button').first().click();
    await page.waitForFunction(() => document.getElementById('bars')?.dataset.prediction !== undefined);
    expect((await previewPixels(page)).some((v) => v > 0)).toBe(true);
  });

  it('is reachable from the keyboard', async () => {
    const { page } = app;
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    const wanted = [
      'pad',
      'clear',
      'test-digit',
      'architecture',
      'optimizer',
      'learningRate',
      'epochs',
      'augmentation',
      'train-button',
      'download-button',
      'open-model',
    ];
    const reached = new Set<string>();
    // Past the hundred or so mistake buttons, to the end of the page.
    for (let i = 0; i < 200 && !wanted.every((id) => reached.has(id)); i++) {
      await page.keyboard.press('Tab');
      reached.add(
        await page.evaluate(
          () => document.activeElement?.id || (document.activeElement as HTMLInputElement)?.name || '',
        ),
      );
    }
    for (const id of wanted) expect(reached, `Tab reaches #${id}`).toContain(id);
  });

  it('fits a phone screen, and draws with a finger and with a pen', async () => {
    const phone = await openApp(browser, isolated.url, {
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
    });
    try {
      const { page } = phone;
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await drawStrokes(page, digits[0].strokes, 'touch');
      expect(await prediction(page)).toBe(digits[0].label);
      await screenshot(page, 'phone');
      await page.click('#clear');
      await drawStrokes(page, digits[1].strokes, 'pen');
      expect(await prediction(page)).toBe(digits[1].label);
      expect(phone.problems).toEqual([]);
    } finally {
      await phone.page.context().close();
    }
  });

  it('logged no console errors or warnings', () => {
    expect(app.problems).toEqual([]);
  });
});

/** Opens `bytes` as the file `name` and waits until the page uses it and has measured it on the test set. */
async function openModel(page: AppPage['page'], name: string, bytes: Uint8Array): Promise<void> {
  await page.setInputFiles('#open-model', { name, mimeType: 'application/octet-stream', buffer: Buffer.from(bytes) });
  await page.waitForFunction((file) => document.getElementById('model-status')?.textContent?.includes(file), name);
}

/** What the page should show for a bad ONNX file: the error `importOnnx` throws for it, name and message. */
function onnxError(bytes: Uint8Array): string {
  try {
    importOnnx(bytes);
  } catch (error) {
    return `${(error as Error).name}: ${(error as Error).message}`;
  }
  return 'no error';
}

/** What the page should show for a bad model file: the error the library throws for it, name and message. */
function libraryError(data: unknown): string {
  try {
    loadModel(data);
  } catch (error) {
    return `${(error as Error).name}: ${(error as Error).message}`;
  }
  return 'no error';
}
