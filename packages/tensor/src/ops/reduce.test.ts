import { describe, expect, it } from 'vitest';
import { Random } from '../random.js';
import type { Shape } from '../shape.js';
import { ShapeError } from '../shape-error.js';
import { Tensor } from '../tensor.js';
import { argmax, max, mean, sum } from './reduce.js';

/**
 * Reduces `x` along `axis` from the definition: every element goes to the output index that drops that axis. Returns
 * the float64 sums, the maxima (NaN winning) and the first index of each maximum.
 */
function naiveReduce(x: Tensor, axis: number) {
  const shape = x.shape;
  const outShape = shape.filter((_, d) => d !== axis);
  const outSize = outShape.reduce((p, d) => p * d, 1);
  const sums = new Array<number>(outSize).fill(0);
  const maxima = new Array<number>(outSize).fill(Number.NEGATIVE_INFINITY);
  const argmaxima = new Array<number>(outSize).fill(-1);
  for (let n = 0; n < x.size; n++) {
    let rest = n;
    const index = new Array<number>(shape.length);
    for (let d = shape.length - 1; d >= 0; d--) {
      index[d] = rest % shape[d];
      rest = Math.floor(rest / shape[d]);
    }
    let o = 0;
    for (let d = 0; d < shape.length; d++) if (d !== axis) o = o * shape[d] + index[d];
    const v = x.data[n];
    sums[o] += v;
    // Elements arrive in increasing order along the axis, so a strict comparison keeps the first maximum.
    if (argmaxima[o] === -1 || (!Number.isNaN(maxima[o]) && (v > maxima[o] || Number.isNaN(v)))) {
      maxima[o] = v;
      argmaxima[o] = index[axis];
    }
  }
  return { outShape, sums, maxima, argmaxima };
}

function random(rng: Random, shape: Shape): Tensor {
  const x = Tensor.zeros(shape);
  // Small integers make ties common, which exercises "first index wins".
  for (let i = 0; i < x.size; i++) x.data[i] = rng.int(7) - 3 + (rng.uniform() < 0.5 ? 0 : rng.uniform());
  return x;
}

function expectClose(found: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number): void {
  expect(found.length).toBe(expected.length);
  for (let i = 0; i < found.length; i++) {
    if (!(Math.abs(found[i] - expected[i]) <= tolerance)) {
      expect.fail(`element ${i} is ${found[i]}, expected ${expected[i]} ± ${tolerance}`);
    }
  }
}

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a throw');
}

const X = Tensor.fromArray([
  [1, 2, 3],
  [4, 5, 6],
]);

describe('sum, mean, max, argmax: hand-checked on [[1, 2, 3], [4, 5, 6]]', () => {
  it('over every element give a scalar of shape []', () => {
    expect(sum(X).shape).toEqual([]);
    expect(sum(X).toArray()).toBe(21);
    expect(mean(X).toArray()).toBe(3.5);
    expect(max(X).toArray()).toBe(6);
  });

  it('over axis 0 and its negative form -2', () => {
    for (const axis of [0, -2]) {
      expect(sum(X, axis).toArray()).toEqual([5, 7, 9]);
      expect(mean(X, axis).toArray()).toEqual([2.5, 3.5, 4.5]);
      expect(max(X, axis).toArray()).toEqual([4, 5, 6]);
      expect(Array.from(argmax(X, axis))).toEqual([1, 1, 1]);
    }
  });

  it('over axis 1 and its negative form -1', () => {
    for (const axis of [1, -1]) {
      expect(sum(X, axis).toArray()).toEqual([6, 15]);
      expect(mean(X, axis).toArray()).toEqual([2, 5]);
      expect(max(X, axis).toArray()).toEqual([3, 6]);
      expect(Array.from(argmax(X, axis))).toEqual([2, 2]);
    }
  });

  it('argmax defaults to the last axis, one class per row', () => {
    const probabilities = Tensor.fromArray([
      [0.1, 0.9],
      [0.8, 0.2],
    ]);
    const classes = argmax(probabilities);
    expect(classes).toBeInstanceOf(Int32Array);
    expect(Array.from(classes)).toEqual([1, 0]);
  });
});

describe('sum, mean, max, argmax against the definition', () => {
  const shapes: Shape[] = [[1], [17], [1, 13], [13, 1], [5, 7], [3, 5, 7], [2, 3, 1, 5], [33, 65]];

  for (const shape of shapes) {
    const axes = [...shape.keys(), ...shape.map((_, d) => d - shape.length)];
    it.each(axes)(`shape ${JSON.stringify(shape)}, axis %i`, (axis) => {
      const rng = new Random(shape.length * 1000 + shape[0] * 10 + axis);
      const x = random(rng, shape);
      const positive = axis < 0 ? axis + shape.length : axis;
      const expected = naiveReduce(x, positive);
      const size = shape[positive];

      const s = sum(x, axis);
      expect(s.shape).toEqual(expected.outShape);
      expectClose(s.data, expected.sums, 1e-5 * size);
      expectClose(
        mean(x, axis).data,
        expected.sums.map((v) => v / size),
        1e-5,
      );
      const m = max(x, axis);
      expect(m.shape).toEqual(expected.outShape);
      expect(Array.from(m.data)).toEqual(expected.maxima);
      expect(Array.from(argmax(x, axis))).toEqual(expected.argmaxima);
    });
  }

  it('sums every element of a random 3-D tensor when no axis is given', () => {
    const x = random(new Random(31), [7, 13, 5]);
    const total = Array.from(x.data).reduce((p, v) => p + v, 0);
    expectClose(sum(x).data, [total], 1e-3);
    expectClose(mean(x).data, [total / x.size], 1e-6);
    expect(max(x).data[0]).toBe(Math.max(...x.data));
  });

  it('accumulates a long sum in float64', () => {
    // A float32 running sum of 1e5 copies of fround(0.1) drifts to about 9998.56.
    expect(sum(Tensor.full([100_000], 0.1)).data[0]).toBe(10_000);
    expect(sum(Tensor.full([100_000, 1], 0.1), 0).data[0]).toBe(10_000);
  });

  it('accumulates a long column sum in float64 too, as for the mean pixel of a dataset', () => {
    // mean(images, 0) over [60000, 784] takes this path: every column is a 1e5-long running sum here.
    expect(Array.from(sum(Tensor.full([100_000, 2], 0.1), 0).data)).toEqual([10_000, 10_000]);
    expect(Array.from(mean(Tensor.full([100_000, 2], 0.1), 0).data)).toEqual([Math.fround(0.1), Math.fround(0.1)]);
  });
});

describe('max and argmax: NaN and ties', () => {
  it('propagate NaN wherever it is along the axis', () => {
    const NaN_ = Number.NaN;
    const x = Tensor.fromArray([
      [NaN_, 1, 2],
      [1, NaN_, 2],
      [1, 2, NaN_],
      [1, 2, 3],
    ]);
    expect(Array.from(max(x, 1).data)).toEqual([NaN_, NaN_, NaN_, 3]);
    expect(Array.from(argmax(x, 1))).toEqual([0, 1, 2, 2]);
    expect(max(x).data[0]).toBeNaN();
    expect(Array.from(max(x, 0).data)).toEqual([NaN_, NaN_, NaN_]);
    expect(Array.from(argmax(x, 0))).toEqual([0, 1, 2]);
  });

  it('argmax reports the first NaN when there are several', () => {
    expect(Array.from(argmax(Tensor.from([1, Number.NaN, 5, Number.NaN])))).toEqual([1]);
  });

  it('argmax picks the first index on ties, along either axis', () => {
    expect(Array.from(argmax(Tensor.from([3, 1, 3, 3])))).toEqual([0]);
    const x = Tensor.fromArray([
      [2, 5, 5],
      [2, 5, 1],
    ]);
    expect(Array.from(argmax(x, 1))).toEqual([1, 1]);
    expect(Array.from(argmax(x, 0))).toEqual([0, 0, 0]);
  });

  it('handle infinities', () => {
    const x = Tensor.from([Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY]);
    expect(max(x).data[0]).toBe(Number.NEGATIVE_INFINITY);
    expect(Array.from(argmax(x))).toEqual([0]);
    expect(Array.from(argmax(Tensor.from([1, Number.POSITIVE_INFINITY, 2])))).toEqual([1]);
  });
});

describe('reductions of empty tensors', () => {
  it('sum gives zeros and mean NaN over an empty axis', () => {
    const x = Tensor.zeros([0, 3]);
    expect(sum(x, 0).toArray()).toEqual([0, 0, 0]);
    expect(Array.from(mean(x, 0).data)).toEqual([Number.NaN, Number.NaN, Number.NaN]);
    expect(sum(x).toArray()).toBe(0);
    expect(mean(x).data[0]).toBeNaN();
  });

  it('reducing a non-empty axis of an empty tensor gives an empty result', () => {
    expect(sum(Tensor.zeros([0, 3]), 1).shape).toEqual([0]);
    expect(max(Tensor.zeros([0, 3]), 1).shape).toEqual([0]);
    expect(argmax(Tensor.zeros([0, 3]), 1).length).toBe(0);
    expect(sum(Tensor.zeros([3, 0]), 0).shape).toEqual([0]);
  });

  it('max and argmax throw a ShapeError naming the shape for an empty axis', () => {
    for (const [op, fn] of [
      ['max', () => max(Tensor.zeros([0, 3]), 0)],
      ['max', () => max(Tensor.zeros([2, 0]))],
      ['argmax', () => argmax(Tensor.zeros([2, 0]))],
    ] as const) {
      const error = thrown(fn);
      expect(error).toBeInstanceOf(ShapeError);
      expect((error as ShapeError).op).toBe(op);
      expect(error.message).toContain('empty axis');
    }
  });
});

describe('reductions: out and errors', () => {
  it('write into a given out and return it', () => {
    const out = Tensor.full([3], Number.NaN);
    expect(sum(X, 0, out)).toBe(out);
    expect(out.toArray()).toEqual([5, 7, 9]);
    expect(mean(X, 0, out)).toBe(out);
    expect(out.toArray()).toEqual([2.5, 3.5, 4.5]);
    expect(max(X, 0, out)).toBe(out);
    expect(out.toArray()).toEqual([4, 5, 6]);
    const indices = new Int32Array(2).fill(-1);
    expect(argmax(X, 1, indices)).toBe(indices);
    expect(Array.from(indices)).toEqual([2, 2]);
  });

  it.each([
    ['sum', (out: Tensor) => sum(X, 0, out)],
    ['mean', (out: Tensor) => mean(X, 0, out)],
    ['max', (out: Tensor) => max(X, 0, out)],
  ] as const)('%s rejects an out of the wrong shape with a ShapeError naming the op and both shapes', (op, fn) => {
    const error = thrown(() => fn(Tensor.zeros([2])));
    expect(error).toBeInstanceOf(ShapeError);
    expect((error as ShapeError).op).toBe(op);
    expect(error.message).toContain('[3]');
    expect(error.message).toContain('[2]');
  });

  it('argmax rejects an out of the wrong length', () => {
    const error = thrown(() => argmax(X, 0, new Int32Array(2)));
    expect(error).toBeInstanceOf(ShapeError);
    expect(error.message).toContain('3');
    expect(error.message).toContain('length 2');
  });

  it.each([2, -3, 0.5, Number.NaN])('every reduction rejects axis %d with a ShapeError naming the shape', (axis) => {
    for (const [op, fn] of [
      ['sum', sum],
      ['mean', mean],
      ['max', max],
      ['argmax', argmax],
    ] as const) {
      const error = thrown(() => fn(X, axis));
      expect(error).toBeInstanceOf(ShapeError);
      expect((error as ShapeError).op).toBe(op);
      expect(error.message).toContain('[2, 3]');
      expect(error.message).toContain(String(axis));
    }
  });

  it('argmax of a scalar has no last axis', () => {
    expect(() => argmax(Tensor.fromArray(1))).toThrow(ShapeError);
    expect(max(Tensor.fromArray(1)).toArray()).toBe(1);
  });

  it('every reduction throws a TypeError for a non-tensor', () => {
    const plain = { shape: [2], data: new Float32Array(2) } as unknown as Tensor;
    expect(() => sum(plain)).toThrow(TypeError);
    expect(() => mean(plain)).toThrow(TypeError);
    expect(() => max(plain)).toThrow(TypeError);
    expect(() => argmax(plain)).toThrow(TypeError);
  });
});
