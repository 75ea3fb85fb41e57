import { describe, expect, it } from 'vitest';
import { MAX_TEXT_BYTES, readModelText } from './read-model-text.js';

describe('readModelText', () => {
  it('reads a file whose size fstat understates past its first buffer (a /proc file reports 0)', async () => {
    const text = await readModelText('/proc/self/smaps');
    expect(text.length).toBeGreaterThan(2 ** 16);
    expect(text).toContain('Rss:');
  });

  it('refuses a maxBytes that is not a byte count', async () => {
    for (const maxBytes of [-1, 1.5, Number.NaN]) {
      await expect(readModelText('/proc/self/status', maxBytes)).rejects.toThrow(
        new RangeError(`loadModelFile: maxBytes must be an integer ≥ 0, found ${maxBytes}`),
      );
    }
    expect(MAX_TEXT_BYTES).toBeGreaterThan(2 ** 28);
  });
});
