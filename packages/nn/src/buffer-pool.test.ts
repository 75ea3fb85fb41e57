import { jsBackend } from '@mnist/tensor';
import { describe, expect, it } from 'vitest';
import { BufferPool } from './buffer-pool.js';

describe('BufferPool', () => {
  it('returns the same tensor for the same name and shape, and its values stay', () => {
    const pool = new BufferPool();
    const first = pool.get('y', [64, 10]);
    first.data.fill(3);
    const again = pool.get('y', [64, 10]);
    expect(again).toBe(first);
    expect(again.data[639]).toBe(3);
  });

  it('gives a smaller shape of one name a view of the same array, not new memory', () => {
    const pool = new BufferPool();
    const full = pool.get('y', [64, 10]);
    const partial = pool.get('y', [24, 10]);
    expect(partial.shape).toEqual([24, 10]);
    expect(partial.data.buffer).toBe(full.data.buffer);
    expect(partial.data.byteOffset).toBe(full.data.byteOffset);
    // Asking for the larger shape again after the smaller one allocates nothing either.
    expect(pool.get('y', [64, 10])).toBe(full);
  });

  it('replaces the array when a larger shape is asked for, and keeps names apart', () => {
    const pool = new BufferPool();
    const small = pool.get('y', [64, 10]);
    const other = pool.get('dx', [64, 10]);
    const large = pool.get('y', [256, 10]);
    expect(large.size).toBe(2560);
    expect(large.data.buffer === small.data.buffer && large.data.byteOffset === small.data.byteOffset).toBe(false);
    expect(other.data.buffer === large.data.buffer && other.data.byteOffset === large.data.byteOffset).toBe(false);
    // The smaller batch is now a view of the larger array.
    expect(pool.get('y', [64, 10]).data.byteOffset).toBe(large.data.byteOffset);
  });

  it('replaces a buffer placed on another backend', () => {
    const pool = new BufferPool();
    const plain = pool.get('y', [4, 4]);
    const placed = pool.get('y', [4, 4], jsBackend);
    expect(plain.backend).toBeUndefined();
    expect(placed.backend).toBe(jsBackend);
    expect(placed).not.toBe(plain);
  });
});
