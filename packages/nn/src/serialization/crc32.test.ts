import { describe, expect, it } from 'vitest';
import { crc32 } from './crc32.js';

const ascii = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));

describe('crc32', () => {
  it('gives the published check values', () => {
    // The check value of CRC-32/ISO-HDLC in the CRC catalogue, and the CRC of nothing.
    expect(crc32(ascii('123456789'))).toBe('cbf43926');
    expect(crc32(new Uint8Array(0))).toBe('00000000');
    // zlib.crc32('The quick brown fox jumps over the lazy dog') is 0x414fa339.
    expect(crc32(ascii('The quick brown fox jumps over the lazy dog'))).toBe('414fa339');
  });

  it('changes whenever any one byte changes in any of its bits', () => {
    const bytes = ascii('a model file holds float32 weights');
    const original = crc32(bytes);
    for (let i = 0; i < bytes.length; i++) {
      for (let bit = 0; bit < 8; bit++) {
        const changed = bytes.slice();
        changed[i] ^= 1 << bit;
        expect(crc32(changed)).not.toBe(original);
      }
    }
  });
});
