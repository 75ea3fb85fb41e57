import { describe, expect, it } from 'vitest';
import { PauseGate } from './pause-gate.js';

describe('PauseGate', () => {
  it('lets batches through until paused, then holds them until resumed', async () => {
    const gate = new PauseGate();
    expect(gate.wait()).toBeUndefined();
    gate.pause();
    expect(gate.paused).toBe(true);
    let released = false;
    const held = gate.wait()?.then(() => {
      released = true;
    });
    await Promise.resolve();
    expect(released).toBe(false);
    gate.resume();
    await held;
    expect(released).toBe(true);
    expect(gate.wait()).toBeUndefined();
  });

  it('counts the time spent paused, the current pause included', async () => {
    const gate = new PauseGate();
    expect(gate.pausedMs()).toBe(0);
    gate.pause();
    await new Promise((resolve) => setTimeout(resolve, 30));
    const during = gate.pausedMs();
    expect(during).toBeGreaterThanOrEqual(25);
    gate.resume();
    const after = gate.pausedMs();
    expect(after).toBeGreaterThanOrEqual(during);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(gate.pausedMs()).toBe(after);
  });
});
