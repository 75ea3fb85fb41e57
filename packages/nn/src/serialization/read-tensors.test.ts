import { describe, expect, it } from 'vitest';
import { ModelFormatError } from '../index.js';
import { encodeBase64, float32Bytes } from './base64.js';
import { crc32 } from './crc32.js';
import { decodeValues, readTensors } from './read-tensors.js';

const bytes = float32Bytes(new Float32Array([1, 2, 3]));
const entry = { dtype: 'float32', shape: [3], data: encodeBase64(bytes), crc32: crc32(bytes) };

function failure(run: () => unknown): ModelFormatError {
  try {
    run();
  } catch (error) {
    if (error instanceof ModelFormatError) return error;
    throw error;
  }
  throw new Error('expected a ModelFormatError');
}

describe('readTensors', () => {
  it('decodes each entry, counting its values', () => {
    const count = { values: 0, max: 10 };
    const tensors = readTensors({ a: entry, b: { ...entry, crc32: undefined } }, '$.weights', count);
    expect([...tensors.keys()]).toEqual(['a', 'b']);
    expect(Array.from(tensors.get('a')?.values ?? [])).toEqual([1, 2, 3]);
    expect(count.values).toBe(6);
  });

  it('verifies the CRC-32 of the data when the entry has one, naming the tensor', () => {
    const error = failure(() =>
      readTensors({ '0.bias': { ...entry, crc32: '00000000' } }, '$.weights', { values: 0, max: 9 }),
    );
    expect(error.path).toBe('$.weights["0.bias"].data');
    expect(error.detail).toBe(
      `the data does not match its checksum (crc32 "00000000" in the file, "${entry.crc32}" computed): the file is damaged`,
    );
    for (const digest of ['ABCDEF01', '1234567', 7, null]) {
      const bad = failure(() => readTensors({ b: { ...entry, crc32: digest } }, '$.state', { values: 0, max: 9 }));
      expect(bad.path).toBe('$.state["b"].crc32');
      expect(bad.detail).toMatch(/^expected 8 lowercase hexadecimal digits, found /);
    }
  });

  it('rejects unknown fields of an entry, and sections over the limit before decoding them', () => {
    expect(failure(() => readTensors({ w: { ...entry, scale: 2 } }, '$.weights', { values: 0, max: 9 })).path).toBe(
      '$.weights["w"].scale',
    );
    const over = failure(() => readTensors({ w: entry, v: entry }, '$.weights', { values: 0, max: 5 }));
    expect(over.path).toBe('$.weights["v"]');
    expect(over.detail).toBe(
      'the weights and state exceed maxParameters (5); pass a larger limit to load a bigger model',
    );
  });
});

describe('decodeValues', () => {
  it('says how many float32 values were expected and found when the length is wrong', () => {
    expect(failure(() => decodeValues('AAAAAAAAAAA=', [4, 1], '$.d')).detail).toBe(
      'expected 4 float32 values for shape [4, 1], found 2 (12 base64 characters where 24 were expected)',
    );
    expect(failure(() => decodeValues('AAAA', [1], '$.d')).detail).toBe(
      'expected 1 float32 values for shape [1], found 3 bytes, not a whole number of float32 values (4 base64 characters where 8 were expected)',
    );
  });

  it('reports a non-finite value, and the checksum too when it disagrees', () => {
    const nan = float32Bytes(new Float32Array([0, Number.NaN]));
    expect(failure(() => decodeValues(encodeBase64(nan), [2], '$.d', crc32(nan))).detail).toBe(
      'value 1 is NaN; weights must be finite',
    );
    expect(failure(() => decodeValues(encodeBase64(nan), [2], '$.d', '00000000')).detail).toMatch(
      /^value 1 is NaN; weights must be finite, and the data does not match its checksum/,
    );
  });
});
