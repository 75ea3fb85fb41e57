import { oneHot, Tensor } from '@mnist/tensor';
import { describe, expect, it } from 'vitest';
import { ConfusionMatrix } from './confusion-matrix.js';

const prediction = Tensor.fromArray([
  [0.9, 0.1, 0],
  [0.2, 0.7, 0.1],
  [0.1, 0.2, 0.7],
  [0.6, 0.3, 0.1],
]); // predicted: 0, 1, 2, 0

describe('ConfusionMatrix', () => {
  it('from counts (true, predicted) pairs, by hand', () => {
    // true 0 → 0, true 1 → 1, true 1 → 2, true 2 → 0
    for (const targets of [new Uint8Array([0, 1, 1, 2]), new Int32Array([0, 1, 1, 2]), oneHot([0, 1, 1, 2], 3)]) {
      const m = ConfusionMatrix.from(prediction, targets);
      expect(m.classes).toBe(3);
      expect(Array.from(m.counts)).toEqual([1, 0, 0, 0, 1, 1, 1, 0, 0]);
      expect(m.get(1, 2)).toBe(1);
      expect(m.get(2, 0)).toBe(1);
      expect(m.get(2, 2)).toBe(0);
      expect(m.accuracy()).toBe(0.5);
    }
  });

  it('add accumulates and returns the matrix', () => {
    const m = new ConfusionMatrix(2);
    expect(m.accuracy()).toBeNaN();
    expect(m.add([0, 1, 1], [0, 0, 1])).toBe(m);
    m.add(new Int32Array([1]), new Uint8Array([1]));
    // (true 0 → 0), (true 0 → 1), (true 1 → 1) twice
    expect([m.get(0, 0), m.get(0, 1), m.get(1, 0), m.get(1, 1)]).toEqual([1, 1, 0, 2]);
    expect(m.accuracy()).toBe(0.75);
  });

  it('toString lays out one row per true class, right-aligned', () => {
    const m = new ConfusionMatrix(3).add([0, 1, 2, 0, 0], [0, 1, 1, 2, 0]);
    // Cells are 6 wide: the 5 characters of 'true↓' plus one.
    expect(m.toString()).toBe(
      [
        ' true↓     0     1     2   ← predicted',
        '     0     2     0     0',
        '     1     0     1     1',
        '     2     1     0     0',
      ].join('\n'),
    );
    expect(m.toString(['cat', 'dog', 'emu']).split('\n')[0]).toBe(' true↓   cat   dog   emu   ← predicted');
  });

  it('widens the cells for long labels and large counts', () => {
    const m = new ConfusionMatrix(2);
    m.add(new Array(1234567).fill(0), new Array(1234567).fill(0));
    expect(m.toString().split('\n')[1]).toBe('       0 1234567       0');
  });

  it('rejects invalid sizes and classes with RangeErrors', () => {
    expect(() => new ConfusionMatrix(0)).toThrow(
      new RangeError('ConfusionMatrix: classes must be a positive integer, found 0'),
    );
    expect(() => new ConfusionMatrix(2.5)).toThrow(RangeError);
    const m = new ConfusionMatrix(3);
    expect(() => m.add([0, 1], [0])).toThrow(new RangeError('ConfusionMatrix.add: 2 predictions but 1 targets'));
    expect(() => m.add([3], [0])).toThrow('classes must be integers in [0, 3), found 0 → 3 at 0');
    expect(() => m.add([0], [-1])).toThrow(RangeError);
    expect(() => m.add([0.5], [0])).toThrow(RangeError);
    expect(Array.from(m.counts).every((c) => c === 0)).toBe(true);
  });

  it('a rejected add counts nothing, not even the valid pairs before the bad one', () => {
    const m = new ConfusionMatrix(2).add([1], [1]);
    expect(() => m.add([0, 5], [0, 0])).toThrow('found 0 → 5 at 1');
    expect(Array.from(m.counts)).toEqual([0, 0, 0, 1]);
  });
});
