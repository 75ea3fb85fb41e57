import { describe, expect, it } from 'vitest';
import type { Backend } from './backend/backend.js';
import { jsBackend } from './backend/js/index.js';
import { ShapeError } from './shape-error.js';
import { type NestedArray, Tensor } from './tensor.js';

/** Runs `fn` and returns what it threw (failing the test if it did not throw). */
function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a throw');
}

describe('Tensor constructor', () => {
  it('wraps the array without copying and freezes a copy of the shape', () => {
    const data = new Float32Array([1, 2, 3, 4, 5, 6]);
    const shape = [2, 3];
    const x = new Tensor(data, shape);
    expect(x.data).toBe(data);
    expect(x.shape).toEqual([2, 3]);
    expect(x.shape).not.toBe(shape);
    expect(Object.isFrozen(x.shape)).toBe(true);
    expect(x.size).toBe(6);
    expect(x.rank).toBe(2);
    data[5] = 60;
    expect(x.get(1, 2)).toBe(60);
  });

  it('defaults to a 1-D shape of the data length', () => {
    const x = new Tensor(new Float32Array(4));
    expect(x.shape).toEqual([4]);
  });

  it('accepts a scalar shape with one value and an empty shape with none', () => {
    expect(new Tensor(new Float32Array([7]), []).rank).toBe(0);
    expect(new Tensor(new Float32Array(0), [3, 0]).size).toBe(0);
  });

  it('throws a ShapeError naming the shape and both sizes when the length disagrees', () => {
    const error = thrown(() => new Tensor(new Float32Array(5), [2, 3]));
    expect(error).toBeInstanceOf(ShapeError);
    expect((error as ShapeError).op).toBe('Tensor');
    expect(error.message).toContain('[2, 3]');
    expect(error.message).toContain('6');
    expect(error.message).toContain('5');
  });

  it('throws a TypeError for data that is not a Float32Array', () => {
    const error = thrown(() => new Tensor(new Float64Array(2) as unknown as Float32Array, [2]));
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toContain('Float64Array');
    expect(() => new Tensor([1, 2] as unknown as Float32Array, [2])).toThrow(TypeError);
  });

  it('throws a ShapeError for negative or fractional dimensions', () => {
    expect(() => new Tensor(new Float32Array(2), [-1, -2])).toThrow(ShapeError);
    expect(() => new Tensor(new Float32Array(2), [0.5, 4])).toThrow(ShapeError);
  });
});

describe('Tensor factories', () => {
  it('zeros, ones and full fill every element', () => {
    expect(Array.from(Tensor.zeros([2, 2]).data)).toEqual([0, 0, 0, 0]);
    expect(Array.from(Tensor.ones([3]).data)).toEqual([1, 1, 1]);
    const x = Tensor.full([2, 3], -2.5);
    expect(x.shape).toEqual([2, 3]);
    expect(Array.from(x.data)).toEqual([-2.5, -2.5, -2.5, -2.5, -2.5, -2.5]);
  });

  it('zeros of a scalar shape has one element and of a zero-sized shape none', () => {
    expect(Tensor.zeros([]).size).toBe(1);
    expect(Tensor.zeros([4, 0, 2]).size).toBe(0);
  });

  it('zeros rejects a bad shape with a ShapeError', () => {
    const error = thrown(() => Tensor.zeros([2, -3]));
    expect(error).toBeInstanceOf(ShapeError);
    expect(error.message).toContain('[2, -3]');
  });

  it('from copies any array-like, rounding to float32', () => {
    const source = [1, 2, 0.1, 4];
    const x = Tensor.from(source, [2, 2]);
    expect(x.shape).toEqual([2, 2]);
    expect(Array.from(x.data)).toEqual([1, 2, Math.fround(0.1), 4]);
    source[0] = 100;
    expect(x.data[0]).toBe(1);
    const fromTyped = Tensor.from(new Uint8Array([3, 255]));
    expect(fromTyped.shape).toEqual([2]);
    expect(Array.from(fromTyped.data)).toEqual([3, 255]);
  });

  it('from does not alias a Float32Array it is given', () => {
    const source = new Float32Array([1, 2]);
    const x = Tensor.from(source);
    source[0] = 9;
    expect(x.data[0]).toBe(1);
  });

  it('from throws a ShapeError naming the shape and both counts', () => {
    const error = thrown(() => Tensor.from([1, 2, 3], [2, 2]));
    expect(error).toBeInstanceOf(ShapeError);
    expect((error as ShapeError).op).toBe('Tensor.from');
    expect(error.message).toContain('[2, 2]');
    expect(error.message).toContain('4');
    expect(error.message).toContain('3');
  });
});

describe('Tensor.fromArray', () => {
  it('infers the shape of nested arrays', () => {
    const x = Tensor.fromArray([
      [
        [1, 2],
        [3, 4],
        [5, 6],
      ],
      [
        [7, 8],
        [9, 10],
        [11, 12],
      ],
    ]);
    expect(x.shape).toEqual([2, 3, 2]);
    expect(Array.from(x.data)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it('gives a scalar of shape [] for a bare number', () => {
    const x = Tensor.fromArray(3.5);
    expect(x.shape).toEqual([]);
    expect(x.size).toBe(1);
    expect(x.get()).toBe(3.5);
  });

  it('handles empty arrays at any level', () => {
    expect(Tensor.fromArray([]).shape).toEqual([0]);
    expect(Tensor.fromArray([[], []]).shape).toEqual([2, 0]);
  });

  it.each<[string, NestedArray]>([
    ['a short row', [[1, 2], [3]]],
    ['a long row', [[1], [2, 3]]],
    ['a number where a row belongs', [[1, 2], 3]],
    ['a row where a number belongs', [1, [2]]],
    [
      'a ragged inner level',
      [
        [[1], [2]],
        [[3], [4, 5]],
      ],
    ],
  ])('throws a ShapeError for %s', (_, nested) => {
    const error = thrown(() => Tensor.fromArray(nested));
    expect(error).toBeInstanceOf(ShapeError);
    expect((error as ShapeError).op).toBe('Tensor.fromArray');
  });

  it('names where the ragged row is and what was expected', () => {
    const error = thrown(() => Tensor.fromArray([[1, 2], [3]]));
    expect(error.message).toContain('[1]');
    expect(error.message).toContain('length 2');
    expect(error.message).toContain('length 1');
  });
});

describe('Tensor.reshape', () => {
  it('returns a view: writes through either tensor show in the other', () => {
    const x = Tensor.fromArray([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const y = x.reshape([3, 2]);
    expect(y.shape).toEqual([3, 2]);
    expect(y.data).toBe(x.data);
    expect(y.get(2, 1)).toBe(6);
    y.set(60, 2, 1);
    expect(x.get(1, 2)).toBe(60);
    x.set(10, 0, 0);
    expect(y.get(0, 0)).toBe(10);
    expect(x.shape).toEqual([2, 3]);
  });

  it('infers one -1 dimension', () => {
    const x = Tensor.zeros([4, 6]);
    expect(x.reshape([-1]).shape).toEqual([24]);
    expect(x.reshape([2, -1, 3]).shape).toEqual([2, 4, 3]);
    expect(x.reshape([-1, 8]).shape).toEqual([3, 8]);
    expect(Tensor.zeros([0, 3]).reshape([-1, 3]).shape).toEqual([0, 3]);
  });

  it('reshapes to and from a scalar', () => {
    const x = Tensor.fromArray([5]);
    expect(x.reshape([]).shape).toEqual([]);
    expect(x.reshape([]).get()).toBe(5);
    expect(Tensor.fromArray(5).reshape([1, 1]).shape).toEqual([1, 1]);
  });

  it('throws a ShapeError naming both shapes when the sizes differ', () => {
    const error = thrown(() => Tensor.zeros([2, 3]).reshape([4, 2]));
    expect(error).toBeInstanceOf(ShapeError);
    expect((error as ShapeError).op).toBe('reshape');
    expect(error.message).toContain('[2, 3]');
    expect(error.message).toContain('[4, 2]');
  });

  it.each([[[-1, 4]], [[-1, 0]], [[-1, -1]], [[-2, 3]], [[1.5, -1]]])(
    'throws a ShapeError for %j on 6 elements',
    (shape) => {
      expect(() => Tensor.zeros([6]).reshape(shape)).toThrow(ShapeError);
    },
  );
});

describe('Tensor.clone and fill', () => {
  it('clone copies the data and keeps the shape', () => {
    const x = Tensor.fromArray([
      [1, 2],
      [3, 4],
    ]);
    const y = x.clone();
    expect(y.shape).toEqual([2, 2]);
    expect(y.data).not.toBe(x.data);
    y.set(40, 1, 1);
    expect(x.get(1, 1)).toBe(4);
    x.set(10, 0, 0);
    expect(y.get(0, 0)).toBe(1);
  });

  it('fill sets every element and returns the tensor', () => {
    const x = Tensor.zeros([3]);
    expect(x.fill(2)).toBe(x);
    expect(Array.from(x.data)).toEqual([2, 2, 2]);
  });
});

describe('Tensor.get and set', () => {
  const x = Tensor.fromArray([
    [1, 2, 3],
    [4, 5, 6],
  ]);

  it('reads and writes in row-major order', () => {
    expect(x.get(0, 0)).toBe(1);
    expect(x.get(0, 2)).toBe(3);
    expect(x.get(1, 0)).toBe(4);
    const y = x.clone();
    expect(y.set(-1, 1, 1)).toBe(y);
    expect(Array.from(y.data)).toEqual([1, 2, 3, 4, -1, 6]);
  });

  it.each([[[0]], [[0, 0, 0]], [[2, 0]], [[0, 3]], [[-1, 0]], [[0, 0.5]], [[Number.NaN, 0]]])(
    'get(%j) throws a ShapeError naming the shape',
    (indices) => {
      const error = thrown(() => x.get(...indices));
      expect(error).toBeInstanceOf(ShapeError);
      expect((error as ShapeError).op).toBe('get');
      expect(error.message).toContain('[2, 3]');
    },
  );

  it('set with a bad index throws and writes nothing', () => {
    const y = x.clone();
    const error = thrown(() => y.set(9, 1, 3));
    expect(error).toBeInstanceOf(ShapeError);
    expect((error as ShapeError).op).toBe('set');
    expect(error.message).toContain('index 3');
    expect(y.equals(x)).toBe(true);
  });
});

describe('Tensor.toArray', () => {
  it.each<[NestedArray]>([
    [
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
    ],
    [
      [
        [[1], [2]],
        [[3], [4]],
      ],
    ],
    [[0.5, -1]],
    [7],
    [[[], []]],
  ])('round-trips %j through fromArray', (nested) => {
    const x = Tensor.fromArray(nested);
    expect(x.toArray()).toEqual(nested);
    expect(Tensor.fromArray(x.toArray()).equals(x)).toBe(true);
  });
});

describe('Tensor.equals', () => {
  it('is true for the same shape and values', () => {
    expect(Tensor.from([1, 2, 3, 4], [2, 2]).equals(Tensor.from([1, 2, 3, 4], [2, 2]))).toBe(true);
  });

  it('is false for a different value or shape with the same data', () => {
    expect(Tensor.from([1, 2, 3, 4]).equals(Tensor.from([1, 2, 3, 5]))).toBe(false);
    expect(Tensor.from([1, 2, 3, 4], [2, 2]).equals(Tensor.from([1, 2, 3, 4], [4]))).toBe(false);
    expect(Tensor.from([1, 2, 3, 4], [2, 2]).equals(Tensor.from([1, 2, 3, 4], [4, 1]))).toBe(false);
  });

  it('treats NaN as equal to NaN and tells 0 from -0 (bit-for-bit)', () => {
    expect(Tensor.from([Number.NaN, 1]).equals(Tensor.from([Number.NaN, 1]))).toBe(true);
    expect(Tensor.from([Number.NaN]).equals(Tensor.from([0]))).toBe(false);
    expect(Tensor.from([0]).equals(Tensor.from([-0]))).toBe(false);
  });
});

describe('Tensor.toString', () => {
  it('shows the shape and the values', () => {
    expect(Tensor.from([1, 2, 3, 4, 5, 6], [2, 3]).toString()).toBe('Tensor [2, 3] [1, 2, 3, 4, 5, 6]');
    expect(Tensor.fromArray(2.5).toString()).toBe('Tensor [] [2.5]');
  });

  it('elides values past the first eight', () => {
    const x = Tensor.from(
      Array.from({ length: 10 }, (_, i) => i),
      [2, 5],
    );
    expect(x.toString()).toBe('Tensor [2, 5] [0, 1, 2, 3, 4, 5, 6, 7, …]');
  });
});

describe('placement on a backend', () => {
  function arena(name = 'arena'): Backend & { allocated: Float32Array[]; fills: number } {
    const allocated: Float32Array[] = [];
    const backend = {
      ...jsBackend,
      name,
      allocated,
      fills: 0,
      allocate(length: number) {
        const array = new Float32Array(length);
        allocated.push(array);
        return array;
      },
      fill(n: number, value: number, out: Float32Array) {
        backend.fills++;
        jsBackend.fill(n, value, out);
      },
    };
    return backend;
  }

  it('leaves tensors unplaced by default', () => {
    expect(Tensor.zeros([2]).backend).toBeUndefined();
    expect(Tensor.fromArray([1]).backend).toBeUndefined();
    expect(new Tensor(new Float32Array(1)).backend).toBeUndefined();
  });

  it('allocates a placed tensor in the backend’s own memory', () => {
    const home = arena();
    const x = Tensor.zeros([2, 3], home);
    expect(x.backend).toBe(home);
    expect(home.allocated).toEqual([x.data]);
    expect(Array.from(x.data)).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('places a tensor on a backend without its own memory in ordinary memory', () => {
    const x = Tensor.zeros([2], jsBackend);
    expect(x.backend).toBe(jsBackend);
    expect(x.data).toBeInstanceOf(Float32Array);
  });

  it('to() copies onto another backend and returns the tensor itself when it is already there', () => {
    const home = arena();
    const x = Tensor.fromArray([1, 2, 3]);
    const placed = x.to(home);
    expect(placed).not.toBe(x);
    expect(placed.backend).toBe(home);
    expect(placed.data).not.toBe(x.data);
    expect(Array.from(placed.data)).toEqual([1, 2, 3]);
    expect(placed.to(home)).toBe(placed);
    const back = placed.to(undefined);
    expect(back.backend).toBeUndefined();
    expect(Array.from(back.data)).toEqual([1, 2, 3]);
  });

  it('moveTo() replaces the storage of the same object; views made before keep the old array', () => {
    const home = arena();
    const x = Tensor.fromArray([
      [1, 2],
      [3, 4],
    ]);
    const before = x.data;
    const view = x.reshape([4]);
    expect(x.moveTo(home)).toBe(x);
    expect(x.backend).toBe(home);
    expect(x.data).not.toBe(before);
    expect(home.allocated).toEqual([x.data]);
    expect(x.toArray()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    x.set(9, 0, 0);
    expect(view.data[0]).toBe(1);
    expect(x.moveTo(home).data).toBe(home.allocated[0]);
    expect(home.allocated).toHaveLength(1);
  });

  it('keeps the placement through reshape, rows and clone', () => {
    const home = arena();
    const x = Tensor.zeros([4, 2], home);
    expect(x.reshape([8]).backend).toBe(home);
    expect(x.rows(1, 3).backend).toBe(home);
    const copy = x.clone();
    expect(copy.backend).toBe(home);
    expect(home.allocated).toContain(copy.data);
  });

  it('fills a placed tensor with its backend’s kernel and an unplaced one without any backend', () => {
    const home = arena();
    Tensor.zeros([3], home).fill(2);
    expect(home.fills).toBe(1);
    expect(Array.from(Tensor.zeros([2]).fill(5).data)).toEqual([5, 5]);
  });
});

describe('rows', () => {
  it('is a view of rows [start, end) of the first dimension', () => {
    const x = Tensor.fromArray([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    const middle = x.rows(1, 3);
    expect(middle.shape).toEqual([2, 2]);
    expect(middle.toArray()).toEqual([
      [3, 4],
      [5, 6],
    ]);
    middle.set(30, 0, 0);
    expect(x.get(1, 0)).toBe(30);
    expect(x.rows(2, 2).shape).toEqual([0, 2]);
  });

  it('rejects bounds out of range, naming them', () => {
    const x = Tensor.zeros([3, 2]);
    expect(() => x.rows(2, 4)).toThrow('rows: expected 0 ≤ start ≤ end ≤ 3, found start 2 and end 4');
    expect(() => x.rows(2, 1)).toThrow(RangeError);
    expect(() => Tensor.zeros([]).rows(0, 0)).toThrow(ShapeError);
  });
});
