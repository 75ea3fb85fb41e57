import { describe, expect, it } from 'vitest';
import { ProgressMeter } from './progress-meter.js';

describe('ProgressMeter', () => {
  it('has no speed before two steps', () => {
    const meter = new ProgressMeter(10, 2, 640, 100);
    expect(meter.progress()).toEqual({ done: 0, total: 20, imagesPerSecond: undefined, secondsLeft: undefined });
    meter.step(64, 0);
    expect(meter.progress().imagesPerSecond).toBeUndefined();
  });

  it('measures images per second and estimates the rest, evaluations included', () => {
    // 10 batches of 64 per epoch, 2 epochs, a dev set of 300; a step every 10 ms: 6 400 images/s.
    const meter = new ProgressMeter(10, 2, 640, 300);
    for (let i = 0; i <= 4; i++) meter.step(64, i * 10);
    const before = meter.progress();
    expect(before.done).toBe(5);
    expect(before.imagesPerSecond).toBeCloseTo(6400, 6);
    // 1 280 − 320 images left at 6 400/s = 0.15 s, plus 2 dev evaluations estimated at 300 / (3 · 6 400) s each.
    expect(before.secondsLeft).toBeCloseTo(0.15 + (2 * 300) / (3 * 6400), 9);
    meter.evaluated(0.5);
    expect(meter.progress().secondsLeft).toBeCloseTo(0.15 + 2 * 0.5, 9);
  });

  it('follows the last three seconds of speed only', () => {
    const meter = new ProgressMeter(1000, 1, 64_000, 0);
    for (let i = 0; i <= 100; i++) meter.step(64, i * 100); // 640 images/s for 10 s
    for (let i = 1; i <= 40; i++) meter.step(64, 10_000 + i * 50); // then 1 280 images/s for 2 s
    // The window keeps the samples of the last 3 s: from 9 000 ms (1 s at the old speed) to 12 000 ms.
    expect(meter.progress().imagesPerSecond).toBeCloseTo((10 * 64 + 40 * 64) / 3, 6);
  });

  it('counts no evaluation time once every step is done', () => {
    const meter = new ProgressMeter(2, 1, 128, 1000);
    meter.step(64, 0);
    meter.step(64, 10);
    expect(meter.progress()).toMatchObject({ done: 2, total: 2, secondsLeft: 0 });
  });
});
