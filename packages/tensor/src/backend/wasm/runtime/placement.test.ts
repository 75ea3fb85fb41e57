import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decidePlacement } from './placement.js';
import { WasmRuntime } from './runtime.js';

describe('decidePlacement', () => {
  it('runs in place when every operand is placed, whether or not the workers help', () => {
    expect(decidePlacement(true, false)).toBe('in-place');
    expect(decidePlacement(true, true)).toBe('in-place');
  });

  it('stages into the shared memory only a call the workers help with, else into the plain memory', () => {
    expect(decidePlacement(false, true)).toBe('staged-shared');
    expect(decidePlacement(false, false)).toBe('staged');
  });
});

describe('WasmRuntime.begin', () => {
  const runtime = new WasmRuntime({ threads: 2 });
  const split = { placed: 100, staged: 1000 };
  beforeAll(async () => {
    expect(await runtime.ready()).toBe(2);
  });
  afterAll(() => runtime.dispose());

  it('decides from the operands: all placed, or not', () => {
    const placed = runtime.allocate(16);
    const ordinary = new Float32Array(16);
    expect(runtime.placed(placed, placed.subarray(4))).toBe(true);
    expect(runtime.placed(placed, ordinary)).toBe(false);
    expect(runtime.begin(runtime.placed(placed)).placement).toBe('in-place');
    expect(runtime.begin(runtime.placed(placed, ordinary)).placement).toBe('staged');
  });

  it('splits from the threshold of the operands’ placement, and only where workers are ready', () => {
    expect([runtime.begin(true, split, 99).helpers, runtime.begin(true, split, 100).helpers]).toEqual([0, 1]);
    const below = runtime.begin(false, split, 999);
    expect([below.placement, below.helpers]).toEqual(['staged', 0]);
    const above = runtime.begin(false, split, 1000);
    expect([above.placement, above.helpers]).toEqual(['staged-shared', 1]);
    expect(runtime.begin(false, { placed: 1, staged: Number.POSITIVE_INFINITY }, 1e12).placement).toBe('staged');
  });

  it('runs a staged call on the plain instance and the others on the shared one', () => {
    expect(runtime.begin(false).kernels).toBe(runtime.plain);
    expect(runtime.begin(true).kernels).toBe(runtime.shared);
    expect(runtime.begin(false, split, 1000).kernels).toBe(runtime.shared);
  });

  it('never splits once the workers have stopped', () => {
    const stopped = new WasmRuntime({ threads: 2 });
    stopped.dispose();
    const frame = stopped.begin(false, split, 1e9);
    expect([frame.placement, frame.helpers, stopped.threads]).toEqual(['staged', 0, 1]);
  });
});
