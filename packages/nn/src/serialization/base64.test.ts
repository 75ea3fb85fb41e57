import { Random } from '@mnist/tensor';
import { describe, expect, it } from 'vitest';
import { decodeBase64, decodedLength, decodeFloat32, encodeBase64, encodedLength, encodeFloat32 } from './base64.js';

describe('float32 base64', () => {
  it('encodes the little-endian bytes, by hand', () => {
    // 1 is 0x3F800000: bytes 00 00 80 3F → "AACAPw==" (one byte short of two full groups, so two '=').
    expect(encodeFloat32(new Float32Array([1]))).toBe('AACAPw==');
    // 1, 2 → 00 00 80 3F 00 00 00 40
    expect(encodeFloat32(new Float32Array([1, 2]))).toBe('AACAPwAAAEA=');
    // Three values are 12 bytes: no padding.
    expect(encodeFloat32(new Float32Array([1, 2, 3]))).toBe('AACAPwAAAEAAAEBA');
    expect(encodeFloat32(new Float32Array(0))).toBe('');
  });

  it('round-trips every bit pattern it is given, including −0, subnormals and extremes', () => {
    const values = new Float32Array(10_000);
    new Random(3).fillNormal(values, 0, 1e3);
    values.set([-0, 1e-45, -3.4028234663852886e38, 3.4028234663852886e38, Number.NaN, Number.POSITIVE_INFINITY]);
    for (const length of [0, 1, 2, 3, 4, 5, values.length]) {
      const part = values.subarray(0, length);
      const text = encodeFloat32(part);
      expect(text.length).toBe(encodedLength(length * 4));
      const decoded = decodeFloat32(text, length);
      expect(decoded && Array.from(decoded)).toEqual(Array.from(part));
    }
    expect(Object.is(decodeFloat32('AAAAgA==', 1)?.[0], -0)).toBe(true);
  });

  it("spells every byte string as Node.js's own base64 does, whatever its length modulo 3", () => {
    const bytes = new Uint8Array(3 * 1024 + 2);
    const random = new Random(5);
    for (let i = 0; i < bytes.length; i++) bytes[i] = random.nextUint32() & 255;
    // The first group spells 'AP/4': sextets 0 and 63, the ends of the alphabet; the random bytes reach the rest.
    bytes.set([0x00, 0xff, 0xf8]);
    for (const length of [0, 1, 2, 3, 4, 5, 6, 7, 1024, bytes.length - 1, bytes.length]) {
      const part = bytes.subarray(0, length);
      const text = encodeBase64(part);
      expect(text).toBe(Buffer.from(part).toString('base64'));
      expect(decodeBase64(text, length)).toEqual(part);
    }
  });

  it('rejects text of the wrong length, bad characters and misplaced padding', () => {
    expect(decodeFloat32('AACAPw==', 2)).toBeUndefined();
    expect(decodeFloat32('AACAPw=', 1)).toBeUndefined();
    expect(decodeFloat32('AAC*Pw==', 1)).toBeUndefined();
    expect(decodeFloat32('AACAP===', 1)).toBeUndefined();
    expect(decodeFloat32('AA==AAAA', 1)).toBeUndefined();
    expect(decodeFloat32('AACAPéA=', 1)).toBeUndefined();
    expect(decodeFloat32('AACAPwAAAE=A', 2)).toBeUndefined();
  });

  it('rejects set bits in the unused low bits before the padding: one spelling per value', () => {
    // 'w' is 110000 in binary: its low 4 bits are unused before '=='; 'x' (110001) spells the same bytes otherwise.
    expect(decodeFloat32('AACAPw==', 1)?.[0]).toBe(1);
    expect(decodeFloat32('AACAPx==', 1)).toBeUndefined();
    // 'E' is 000100: the unused low 2 bits before '=' are zero; 'F' (000101) is not canonical.
    expect(decodeFloat32('AACAPwAAAEA=', 2)?.[1]).toBe(2);
    expect(decodeFloat32('AACAPwAAAEB=', 2)).toBeUndefined();
  });
});

describe('decodedLength', () => {
  it('counts the bytes a text of this length and padding holds', () => {
    expect(decodedLength('')).toBe(0);
    expect(decodedLength('AACAPw==')).toBe(4);
    expect(decodedLength('AACAPwAAAEA=')).toBe(8);
    expect(decodedLength('AACAPwAAAEAAAEBA')).toBe(12);
    expect(decodedLength('AACAPwAAAEAAAEB')).toBe(11);
  });
});
