import { describe, expect, it } from 'vitest';
import { Random } from '../../random.js';
import { jsBackend } from '../js/index.js';
import { wasmBackendOn } from './index.js';
import { WasmRuntime } from './runtime/runtime.js';
import { DEFAULT_TUNING, type Tuning, tuningWith } from './tuning.js';

const random = (n: number, rng: Random, density = 1): Float32Array =>
  Float32Array.from({ length: n }, () => (rng.uniform(0, 1) < density ? rng.uniform(-1, 1) : 0));

/** C = A·B (m × n × k, plain) on a backend over a runtime with `tuning` moved, on `threads` threads. */
async function product(tuning: Partial<Tuning>, threads: number, a: Float32Array, b: Float32Array, m: number) {
  const runtime = new WasmRuntime({ threads, tuning });
  expect(await runtime.ready()).toBe(threads);
  const k = a.length / m;
  const n = b.length / k;
  const c = new Float32Array(m * n);
  const backend = wasmBackendOn(runtime);
  backend.gemm(false, false, m, n, k, 1, a, 0, k, b, 0, n, 0, c, 0, n);
  const split = backend.counters.parallelCalls;
  runtime.dispose();
  return { c, split, skipped: runtime.plain.exports.ZERO_SKIPPED_TILES.value };
}

describe('tuning', () => {
  it('checks the gemm blocks and derives the scratch from them', () => {
    expect(tuningWith()).toEqual(DEFAULT_TUNING);
    expect(tuningWith({ KC: 16, NC: 64 }).GEMM_WORK_BYTES).toBe(4 * 16 * 64 + 128 + 256);
    expect(() => tuningWith({ NC: 36 })).toThrow(/NC ≥ 32 a multiple of 8, found KC 256, NC 36/);
    expect(() => tuningWith({ KC: 0 })).toThrow(RangeError);
  });

  it('reaches the module on the calling thread and in the workers: KC changes the rounding, alike on both', async () => {
    const rng = new Random(21);
    const [m, n, k] = [32, 40, 96];
    const [a, b] = [random(m * k, rng), random(k * n, rng)];
    const everySplit = { placed: 0, staged: 0 };
    const blocked = await product({ KC: 16 }, 1, a, b, m);
    const split = await product({ KC: 16, GEMM_SPLIT_MIN_MACS: everySplit }, 2, a, b, m);
    const unblocked = await product({}, 1, a, b, m);
    expect(split.split).toBe(1);
    expect(split.c).toEqual(blocked.c);
    // Six blocks of 16 deep added in float32, against one of 96: some element rounds differently, all are close.
    expect(blocked.c.some((value, i) => value !== unblocked.c[i])).toBe(true);
    const reference = new Float32Array(m * n);
    jsBackend.gemm(false, false, m, n, k, 1, a, 0, k, b, 0, n, 0, reference, 0, n);
    for (let i = 0; i < m * n; i++) expect(Math.abs(blocked.c[i] - reference[i])).toBeLessThan(1e-4);
  });

  it('reaches the zero-skipping thresholds of the module', async () => {
    const rng = new Random(22);
    const [m, n, k] = [16, 64, 64];
    const [a, b] = [random(m * k, rng, 0.1), random(k * n, rng)];
    const skipping = await product({}, 1, a, b, m);
    const narrower = await product({ ZERO_SKIP_MIN_COLUMNS: n + 8 }, 1, a, b, m);
    const denser = await product({ ZERO_SKIP_MAX_PERCENT: 0 }, 1, a, b, m);
    expect([skipping.skipped, narrower.skipped, denser.skipped]).toEqual([4, 0, 0]);
    expect(narrower.c).toEqual(skipping.c);
  });
});
