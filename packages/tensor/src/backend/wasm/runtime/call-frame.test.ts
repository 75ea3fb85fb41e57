import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type WasmMemory, webAssembly } from '../kernels.js';
import { WasmRuntime } from './runtime.js';

// The frame is exercised through real kernels of the module (relu, fill), so what is checked is what a kernel sees.

describe('CallFrame', () => {
  const runtime = new WasmRuntime({ threads: 2 });
  beforeAll(async () => {
    expect(await runtime.ready()).toBe(2);
  });
  afterAll(() => runtime.dispose());

  it('stages an input and an output, and copies only the output back', () => {
    const x = new Float32Array([-1, 2, -3, 4, -5]);
    const out = new Float32Array(5).fill(9);
    const frame = runtime.begin(false);
    const xAt = frame.input(x, 0, 5);
    const outAt = frame.output(out, 0, 5);
    expect(outAt).not.toBe(xAt);
    expect(frame.commit()).toBe(true);
    frame.exports.relu(5, xAt, outAt);
    frame.finish();
    expect(Array.from(out)).toEqual([0, 2, 0, 4, 0]);
    expect(Array.from(x)).toEqual([-1, 2, -3, 4, -5]);
    expect([frame.floatsIn, frame.floatsOut]).toEqual([5, 5]);
  });

  it('gives an output that is a staged input (out === x) the input’s slot, and copies it back once', () => {
    const x = new Float32Array([7, -1, 2, -3, 4, -5, -7]);
    const frame = runtime.begin(false);
    const xAt = frame.input(x, 1, 5);
    expect(frame.output(x, 1, 5)).toBe(xAt);
    expect(frame.commit()).toBe(true);
    frame.exports.relu(5, xAt, xAt);
    frame.finish();
    expect(Array.from(x)).toEqual([7, 0, 2, 0, 4, 0, -7]);
    expect([frame.floatsIn, frame.floatsOut]).toEqual([5, 5]);
    // Another window of the same array is another operand, with its own slot.
    const again = runtime.begin(false);
    const at = again.input(x, 1, 5);
    expect(again.output(x, 2, 5)).not.toBe(at);
  });

  it('copies a staged matrix back row by row, leaving the gaps between its rows alone', () => {
    const c = new Float32Array(11).fill(-7); // rows of 3 at offsets 1 and 6: elements 1–3 and 6–8
    const frame = runtime.begin(false);
    const at = frame.outputMatrix(c, 1, 2, 3, 5, false);
    expect(frame.commit()).toBe(true);
    frame.exports.fill(8, 1, at); // the two rows and the gap between them, in WebAssembly memory
    frame.finish();
    expect(Array.from(c)).toEqual([-7, 1, 1, 1, -7, -7, 1, 1, 1, -7, -7]);
    expect([frame.floatsIn, frame.floatsOut]).toEqual([0, 6]);
  });

  it('copies a matrix read first (β ≠ 0) in and back whole', () => {
    const c = Float32Array.from({ length: 11 }, (_, i) => i);
    const frame = runtime.begin(false);
    const at = frame.outputMatrix(c, 1, 2, 3, 5, true);
    expect(frame.commit()).toBe(true);
    expect(Array.from(frame.kernels.floats().subarray(at >> 2, (at >> 2) + 8))).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    frame.finish();
    expect([frame.floatsIn, frame.floatsOut]).toEqual([8, 8]);
  });

  it('uses placed operands where they are, copying nothing', () => {
    const x = runtime.allocate(8);
    x.set([-1, 2, -3, 4, -5, 6, -7, 8]);
    const frame = runtime.begin(runtime.placed(x));
    expect(frame.placement).toBe('in-place');
    const xAt = frame.input(x, 2, 4);
    expect(xAt).toBe(x.byteOffset + 8);
    expect(frame.output(x, 2, 4)).toBe(xAt);
    expect(frame.commit()).toBe(true);
    frame.exports.relu(4, xAt, xAt);
    frame.finish();
    expect(Array.from(x)).toEqual([-1, 2, 0, 4, 0, 6, -7, 8]);
    expect([frame.floatsIn, frame.floatsOut]).toEqual([0, 0]);
  });

  it('in the shared memory, uses the placed operands in place and stages the others', () => {
    const placed = runtime.allocate(4);
    placed.set([-1, 2, -3, 4]);
    const ordinary = new Float32Array(4);
    const frame = runtime.begin(runtime.placed(placed, ordinary), { placed: 0, staged: 0 }, 1);
    expect(frame.placement).toBe('staged-shared');
    expect(frame.input(placed, 0, 4)).toBe(placed.byteOffset);
    const outAt = frame.output(ordinary, 0, 4);
    expect(outAt).toBeGreaterThanOrEqual((runtime.arena?.end ?? 0) - 64);
    expect(frame.commit()).toBe(true);
    frame.exports.relu(4, placed.byteOffset, outAt);
    frame.finish();
    expect(Array.from(ordinary)).toEqual([0, 2, 0, 4]);
  });

  it('grows the memory to what the kernel may read past a placed operand', () => {
    const frame = runtime.begin(true);
    const x = runtime.allocate(4);
    const size = (runtime.shared?.memory.buffer.byteLength ?? 0) + (1 << 20);
    frame.input(x, 0, 4, (size - x.byteOffset) / 4);
    expect(frame.commit()).toBe(true);
    expect(runtime.shared?.memory.buffer.byteLength).toBeGreaterThanOrEqual(size);
  });

  it('reports a memory that cannot grow, before copying anything in', () => {
    const { Memory } = webAssembly() as NonNullable<ReturnType<typeof webAssembly>>;
    const grow = vi.spyOn((Memory as unknown as { prototype: WasmMemory }).prototype, 'grow').mockImplementation(() => {
      throw new RangeError('WebAssembly.Memory.grow(): Maximum memory size exceeded');
    });
    try {
      const big = new Float32Array(1 << 22); // 16 MiB, past the 2 MiB the plain memory starts with
      const frame = runtime.begin(false);
      frame.input(big, 0, big.length);
      expect(frame.commit()).toBe(false);
      expect(frame.floatsIn).toBe(0);
    } finally {
      grow.mockRestore();
    }
  });
});
