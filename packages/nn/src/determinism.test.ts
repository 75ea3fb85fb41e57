import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { getBackend, type WasmBackend } from '@mnist/tensor';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { trainedWeightsDigest } from './determinism.fixture.js';

// Debian's Chromium; CI installs it (`.ci/run`). Without it, only the browser half of this file is skipped.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

describe('the same seed gives bit-identical weights', () => {
  it('in Node.js, run after run', async () => {
    const a = await trainedWeightsDigest(5);
    expect(await trainedWeightsDigest(5)).toBe(a);
    expect(await trainedWeightsDigest(6)).not.toBe(a);
  });

  it.skipIf(!existsSync(CHROMIUM))('in Chromium, equal to Node.js', { timeout: 60_000 }, async () => {
    const bundle = await build({
      entryPoints: [fileURLToPath(new URL('./determinism.fixture.ts', import.meta.url))],
      bundle: true,
      write: false,
      format: 'iife',
      globalName: 'fixture',
      platform: 'browser',
      conditions: ['@mnist/source'],
    });
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
      ],
    });
    // The page computes with this process's arithmetic: exact here on Node.js 20, fused (relaxed SIMD) in the
    // `relaxed-simd` test project, as Chromium would by default.
    const relaxedSimd = (getBackend() as Partial<WasmBackend>).relaxedSimd === true;
    try {
      const page = await browser.newPage();
      await page.addScriptTag({ content: bundle.outputFiles[0].text });
      const inBrowser = await page.evaluate(async (relaxed) => {
        const { fixture } = globalThis as unknown as {
          fixture: { useWasmArithmetic(relaxed: boolean): void; trainedWeightsDigest(seed: number): Promise<string> };
        };
        fixture.useWasmArithmetic(relaxed);
        return fixture.trainedWeightsDigest(5);
      }, relaxedSimd);
      expect(inBrowser).toBe(await trainedWeightsDigest(5));
    } finally {
      await browser.close();
    }
  });
});
