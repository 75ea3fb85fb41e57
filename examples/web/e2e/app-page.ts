// The web example as the end-to-end tests drive it: open it, draw on it with real input events, read what it shows.
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import type { Stroke } from './digit-strokes.js';

/** An open page of the site, every console error, warning and uncaught exception it produced, and its scripts. */
export interface AppPage {
  page: Page;
  problems: string[];
  /** The file names of the scripts the page and its worker have requested so far, in order. */
  scripts: string[];
}

/** Opens the site in a new context and waits until the shipped model classifies and the worker reports its backend. */
export async function openApp(browser: Browser, url: string, options: BrowserContextOptions = {}): Promise<AppPage> {
  const context = await browser.newContext({
    viewport: { width: 1200, height: 900 },
    acceptDownloads: true,
    ...options,
  });
  const page = await context.newPage();
  const problems: string[] = [];
  const scripts: string[] = [];
  context.on('request', (request) => {
    const path = new URL(request.url()).pathname;
    if (path.endsWith('.js')) scripts.push(path.slice(path.lastIndexOf('/') + 1));
  });
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning')
      problems.push(`${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  await page.goto(url);
  await page.waitForFunction(() => document.getElementById('backend-status')?.dataset.threads !== undefined);
  await page.waitForFunction(() => document.getElementById('model-status')?.textContent?.includes('test images'));
  return { page, problems, scripts };
}

/** Waits for two animation frames: whatever the last input event scheduled has been drawn. */
export function settle(page: Page): Promise<void> {
  return page.evaluate(
    () => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve()))),
  );
}

/** How a stroke is drawn: a mouse, a pen or a finger, each through the browser's own input pipeline. */
export type PointerKind = 'mouse' | 'pen' | 'touch';

/**
 * Draws strokes given in a 28×28 image's coordinates on the pad, scaled to the pad's size on screen, with trusted
 * input events: Playwright's mouse, or the DevTools protocol's pen and touch input.
 */
export async function drawStrokes(page: Page, strokes: readonly Stroke[], kind: PointerKind = 'mouse'): Promise<void> {
  await page.locator('#pad').scrollIntoViewIfNeeded();
  const box = await page.locator('#pad').boundingBox();
  if (!box) throw new Error('the drawing pad is not visible');
  const at = ([x, y]: [number, number]) => ({ x: box.x + (x / 28) * box.width, y: box.y + (y / 28) * box.height });
  const cdp = kind === 'mouse' ? undefined : await page.context().newCDPSession(page);
  for (const stroke of strokes) {
    const points = stroke.map(at);
    if (kind === 'mouse') {
      await page.mouse.move(points[0].x, points[0].y);
      await page.mouse.down();
      for (const p of points.slice(1)) await page.mouse.move(p.x, p.y);
      await page.mouse.up();
    } else if (kind === 'pen') {
      const pen = (
        type: 'mousePressed' | 'mouseMoved' | 'mouseReleased',
        p: { x: number; y: number },
        buttons: number,
      ) =>
        cdp?.send('Input.dispatchMouseEvent', {
          type,
          ...p,
          button: 'left',
          buttons,
          clickCount: 1,
          pointerType: 'pen',
        });
      await pen('mousePressed', points[0], 1);
      for (const p of points.slice(1)) await pen('mouseMoved', p, 1);
      await pen('mouseReleased', points[points.length - 1], 0);
    } else {
      await cdp?.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [points[0]] });
      for (const p of points.slice(1))
        await cdp?.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [p] });
      await cdp?.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    }
  }
  await cdp?.detach();
  await settle(page);
}

/** The pad's ink (its alpha channel), as the app reads it. */
export async function padInk(page: Page): Promise<{ ink: Uint8Array; width: number; height: number }> {
  const { ink, width, height } = await page.evaluate(() => {
    const canvas = document.getElementById('pad') as HTMLCanvasElement;
    const rgba = (canvas.getContext('2d') as CanvasRenderingContext2D).getImageData(
      0,
      0,
      canvas.width,
      canvas.height,
    ).data;
    return {
      ink: Array.from({ length: rgba.length / 4 }, (_, i) => rgba[4 * i + 3]),
      width: canvas.width,
      height: canvas.height,
    };
  });
  return { ink: Uint8Array.from(ink), width, height };
}

/** The 28×28 grey levels of the preview, the image the model was given. */
export async function previewPixels(page: Page): Promise<Uint8Array> {
  const grey = await page.evaluate(() => {
    const canvas = document.getElementById('preview') as HTMLCanvasElement;
    const rgba = (canvas.getContext('2d') as CanvasRenderingContext2D).getImageData(0, 0, 28, 28).data;
    return Array.from({ length: 784 }, (_, i) => rgba[4 * i]);
  });
  return Uint8Array.from(grey);
}

/** The probabilities the bars show, exactly, or undefined when nothing is classified. */
export async function probabilities(page: Page): Promise<number[] | undefined> {
  const text = await page.locator('#bars').getAttribute('data-probabilities');
  return text === null ? undefined : (JSON.parse(text) as number[]);
}

/** The digit the page reads on the pad. */
export async function prediction(page: Page): Promise<number | undefined> {
  const text = await page.locator('#bars').getAttribute('data-prediction');
  return text === null ? undefined : Number(text);
}

/** Fills the training form. */
export async function chooseSettings(
  page: Page,
  settings: { architecture: 'mlp' | 'cnn'; epochs: number; trainSize: number; batchSize?: number },
): Promise<void> {
  await page.check(`input[name=architecture][value=${settings.architecture}]`);
  await page.fill('input[name=epochs]', String(settings.epochs));
  await page.fill('input[name=trainSize]', String(settings.trainSize));
  await page.selectOption('select[name=batchSize]', String(settings.batchSize ?? 64));
}

/** What {@link recordFrames} saw. */
export interface FrameRecord {
  /** The longest time between two animation frames, or from the last one to the end, in milliseconds. */
  longestGap: number;
  frames: number;
  ms: number;
  /** Tasks of 50 ms or more on the main thread (start and duration, ms), to tell a busy page from a busy machine. */
  longTasks: [number, number][];
}

/**
 * Starts recording the longest gap between animation frames on the page's main thread; the returned function stops
 * and returns it, with the number of frames seen and the milliseconds covered.
 */
export async function recordFrames(page: Page): Promise<() => Promise<FrameRecord>> {
  await page.evaluate(() => {
    const state = {
      longest: 0,
      frames: 0,
      start: performance.now(),
      last: performance.now(),
      running: true,
      longTasks: [] as [number, number][],
      observer: new PerformanceObserver((list) => {
        for (const e of list.getEntries()) state.longTasks.push([Math.round(e.startTime), Math.round(e.duration)]);
      }),
    };
    state.observer.observe({ type: 'longtask' });
    (window as unknown as { frameRecorder: typeof state }).frameRecorder = state;
    const tick = () => {
      const now = performance.now();
      state.longest = Math.max(state.longest, now - state.last);
      state.last = now;
      state.frames++;
      if (state.running) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  return () =>
    page.evaluate(() => {
      const state = (
        window as unknown as {
          frameRecorder: {
            longest: number;
            frames: number;
            start: number;
            last: number;
            running: boolean;
            longTasks: [number, number][];
            observer: PerformanceObserver;
          };
        }
      ).frameRecorder;
      state.running = false;
      state.observer.disconnect();
      const now = performance.now();
      // The stretch since the last frame counts too: a page frozen at the end must not pass.
      return {
        longestGap: Math.max(state.longest, now - state.last),
        frames: state.frames,
        ms: now - state.start,
        longTasks: state.longTasks,
      };
    });
}
