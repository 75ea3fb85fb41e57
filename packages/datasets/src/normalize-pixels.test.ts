import { describe, expect, it } from 'vitest';
import { normalizePixels } from './normalize-pixels.js';

describe('normalizePixels', () => {
  it('divides every byte by 255 exactly as float32', () => {
    const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
    const out = normalizePixels(bytes);
    for (let b = 0; b < 256; b++) expect(out[b]).toBe(Math.fround(b / 255));
    expect(out[0]).toBe(0);
    expect(out[255]).toBe(1);
  });

  it('writes into a given buffer and rejects a short one', () => {
    const out = new Float32Array(4).fill(9);
    expect(normalizePixels(Uint8Array.of(255, 0, 51), out)).toBe(out);
    expect(Array.from(out)).toEqual([1, 0, Math.fround(0.2), 9]);
    expect(() => normalizePixels(new Uint8Array(3), new Float32Array(2))).toThrow(
      'normalizePixels: out must hold 3 values, found 2',
    );
  });
});
