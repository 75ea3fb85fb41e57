import { describe, expect, it } from 'vitest';
import { Random } from '../random.js';
import { ShapeError } from '../shape-error.js';
import { Tensor } from '../tensor.js';
import { transpose } from './transpose.js';

function random(rng: Random, rows: number, cols: number): Tensor {
  return Tensor.from(
    Array.from({ length: rows * cols }, () => rng.uniform(-1, 1)),
    [rows, cols],
  );
}

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a throw');
}

describe('transpose', () => {
  it('swaps rows and columns, hand-checked', () => {
    const x = Tensor.fromArray([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const y = transpose(x);
    expect(y.shape).toEqual([3, 2]);
    expect(y.toArray()).toEqual([
      [1, 4],
      [2, 5],
      [3, 6],
    ]);
    expect(y.data).not.toBe(x.data);
  });

  // Sizes around the 32×32 tile of the JS kernel, 1×N and N×1, and empty.
  it.each([
    [1, 1],
    [1, 37],
    [37, 1],
    [31, 32],
    [32, 32],
    [33, 65],
    [65, 33],
    [97, 40],
    [0, 5],
    [5, 0],
  ])('matches y[j, i] = x[i, j] for %i×%i', (rows, cols) => {
    const x = random(new Random(rows * 100 + cols), rows, cols);
    const y = transpose(x);
    expect(y.shape).toEqual([cols, rows]);
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) {
        if (y.data[j * rows + i] !== x.data[i * cols + j]) expect.fail(`y[${j}, ${i}] differs from x[${i}, ${j}]`);
      }
    }
    expect(transpose(y).equals(x)).toBe(true);
  });

  it('writes into a given out, overwriting what it held', () => {
    const x = random(new Random(1), 33, 65);
    const out = Tensor.full([65, 33], Number.NaN);
    expect(transpose(x, out)).toBe(out);
    expect(out.equals(transpose(x))).toBe(true);
  });

  it('rejects an out of the wrong shape, naming both shapes', () => {
    const error = thrown(() => transpose(Tensor.zeros([2, 3]), Tensor.zeros([2, 3])));
    expect(error).toBeInstanceOf(ShapeError);
    expect((error as ShapeError).op).toBe('transpose');
    expect(error.message).toContain('[3, 2]');
    expect(error.message).toContain('[2, 3]');
  });

  it('refuses to run in place, even through a reshape view', () => {
    const x = Tensor.zeros([3, 3]);
    expect(() => transpose(x, x)).toThrow(ShapeError);
    expect(() => transpose(x, x.reshape([3, 3]))).toThrow(/shares memory/);
  });

  it.each([[[6]], [[2, 3, 1]], [[]]])('rejects an x of shape %j that is not 2-D', (shape) => {
    const error = thrown(() => transpose(Tensor.zeros(shape)));
    expect(error).toBeInstanceOf(ShapeError);
    expect(error.message).toContain(`[${shape.join(', ')}]`);
  });

  it('throws a TypeError for a non-tensor', () => {
    expect(() => transpose([[1]] as unknown as Tensor)).toThrow(TypeError);
    expect(() => transpose(Tensor.zeros([1, 1]), {} as Tensor)).toThrow(TypeError);
  });
});
