import { describe, expect, it } from 'vitest';
import { Random } from '../random.js';
import type { Shape } from '../shape.js';
import { ShapeError } from '../shape-error.js';
import { Tensor } from '../tensor.js';
import { add, addRowVector, addScalar, axpy, clamp, div, mul, scale, sub } from './elementwise.js';

type BinaryOp = (a: Tensor, b: Tensor, out?: Tensor) => Tensor;

const OPS: [string, BinaryOp, (x: number, y: number) => number][] = [
  ['add', add, (x, y) => x + y],
  ['sub', sub, (x, y) => x - y],
  ['mul', mul, (x, y) => x * y],
  ['div', div, (x, y) => x / y],
];

/**
 * NumPy broadcasting from its definition: pad both shapes with leading 1s, then read each operand at the output
 * index with every size-1 dimension pinned to 0. Values are rounded to float32 once, as the ops store them.
 */
function naiveBroadcast(
  a: Tensor,
  b: Tensor,
  fn: (x: number, y: number) => number,
): { shape: number[]; values: number[] } {
  const rank = Math.max(a.rank, b.rank);
  const pad = (shape: Shape) => [...new Array<number>(rank - shape.length).fill(1), ...shape];
  const sa = pad(a.shape);
  const sb = pad(b.shape);
  const shape = sa.map((d, i) => (d === 1 ? sb[i] : d));
  const size = shape.reduce((p, d) => p * d, 1);
  const values: number[] = [];
  for (let n = 0; n < size; n++) {
    let rest = n;
    const index = new Array<number>(rank);
    for (let d = rank - 1; d >= 0; d--) {
      index[d] = rest % shape[d];
      rest = Math.floor(rest / shape[d]);
    }
    let ia = 0;
    let ib = 0;
    for (let d = 0; d < rank; d++) {
      ia = ia * sa[d] + (sa[d] === 1 ? 0 : index[d]);
      ib = ib * sb[d] + (sb[d] === 1 ? 0 : index[d]);
    }
    values.push(Math.fround(fn(a.data[ia], b.data[ib])));
  }
  return { shape, values };
}

function random(rng: Random, shape: Shape): Tensor {
  const x = Tensor.zeros(shape);
  // Keep away from zero so that div stays finite.
  for (let i = 0; i < x.size; i++) x.data[i] = (rng.uniform() < 0.5 ? -1 : 1) * rng.uniform(0.5, 2);
  return x;
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
const Y = Tensor.fromArray([
  [6, 5, 4],
  [3, 2, 1],
]);

describe('add, sub, mul, div: equal shapes', () => {
  it('compute elementwise, hand-checked', () => {
    expect(add(X, Y).toArray()).toEqual([
      [7, 7, 7],
      [7, 7, 7],
    ]);
    expect(sub(X, Y).toArray()).toEqual([
      [-5, -3, -1],
      [1, 3, 5],
    ]);
    expect(mul(X, Y).toArray()).toEqual([
      [6, 10, 12],
      [12, 10, 6],
    ]);
    expect(div(X, Y).toArray()).toEqual([
      [Math.fround(1 / 6), Math.fround(2 / 5), 0.75],
      [Math.fround(4 / 3), 2.5, 6],
    ]);
  });

  it('leave their inputs unchanged and allocate a new output', () => {
    const before = X.clone();
    const y = add(X, Y);
    expect(y).not.toBe(X);
    expect(y.data).not.toBe(X.data);
    expect(X.equals(before)).toBe(true);
  });

  it('follow IEEE rules for division by zero', () => {
    const y = div(Tensor.from([1, -1, 0]), Tensor.from([0, 0, 0]));
    expect(Array.from(y.data)).toEqual([Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NaN]);
  });

  it.each(OPS)('%s works on scalars and empty tensors', (_, op, fn) => {
    const y = op(Tensor.fromArray(3), Tensor.fromArray(2));
    expect(y.shape).toEqual([]);
    expect(y.data[0]).toBe(fn(3, 2));
    expect(op(Tensor.zeros([0, 3]), Tensor.zeros([0, 3])).shape).toEqual([0, 3]);
  });
});

describe('add, sub, mul, div: broadcasting', () => {
  const v = Tensor.from([10, 20, 30]);

  it('broadcast a row vector over rows, hand-checked', () => {
    expect(add(X, v).toArray()).toEqual([
      [11, 22, 33],
      [14, 25, 36],
    ]);
    expect(sub(X, v).toArray()).toEqual([
      [-9, -18, -27],
      [-6, -15, -24],
    ]);
    expect(mul(X, v).toArray()).toEqual([
      [10, 40, 90],
      [40, 100, 180],
    ]);
    expect(div(v, X).toArray()).toEqual([
      [10, 10, 10],
      [2.5, 4, 5],
    ]);
    expect(add(X, v.reshape([1, 3])).toArray()).toEqual(add(X, v).toArray());
    expect(add(v, X).toArray()).toEqual(add(X, v).toArray());
  });

  it('broadcast [2, 1, 3] with [4, 1] to [2, 4, 3], hand-checked', () => {
    const a = Tensor.fromArray([[[1, 2, 3]], [[4, 5, 6]]]); // [2, 1, 3]
    const b = Tensor.fromArray([[0], [10], [20], [30]]); // [4, 1]
    const y = add(a, b);
    expect(y.shape).toEqual([2, 4, 3]);
    // y[i, j, k] = a[i, 0, k] + b[j, 0]
    expect(y.toArray()).toEqual([
      [
        [1, 2, 3],
        [11, 12, 13],
        [21, 22, 23],
        [31, 32, 33],
      ],
      [
        [4, 5, 6],
        [14, 15, 16],
        [24, 25, 26],
        [34, 35, 36],
      ],
    ]);
  });

  it('broadcast a column against a row to an outer product', () => {
    const column = Tensor.fromArray([[1], [2], [3]]);
    const row = Tensor.fromArray([[1, 10]]);
    expect(mul(column, row).toArray()).toEqual([
      [1, 10],
      [2, 20],
      [3, 30],
    ]);
  });

  const pairs: [Shape, Shape][] = [
    [[2, 3], [3]],
    [[3], [2, 3]],
    [
      [5, 7],
      [1, 7],
    ],
    [
      [2, 1, 3],
      [4, 1],
    ],
    [
      [4, 1],
      [2, 1, 3],
    ],
    [
      [3, 1],
      [1, 4],
    ],
    [
      [7, 1, 5],
      [7, 3, 1],
    ],
    [
      [2, 3, 4, 5],
      [3, 1, 5],
    ],
    [[13], []],
    [[], [2, 3]],
    [[1], [17]],
    [
      [1, 1, 3],
      [4, 3],
    ],
    [
      [4, 3],
      [1, 1, 3],
    ],
    [[4, 1], [1]],
    [
      [0, 3],
      [1, 3],
    ],
    [
      [3, 0],
      [3, 1],
    ],
  ];

  for (const [name, op, fn] of OPS) {
    it.each(pairs)(`${name}: %j with %j matches the definition`, (shapeA, shapeB) => {
      const rng = new Random(shapeA.length * 100 + shapeB.length + name.length);
      const a = random(rng, shapeA);
      const b = random(rng, shapeB);
      const expected = naiveBroadcast(a, b, fn);
      const y = op(a, b);
      expect(y.shape).toEqual(expected.shape);
      expect(Array.from(y.data)).toEqual(expected.values);
    });
  }

  it.each(OPS)('%s throws a ShapeError naming both shapes when they do not broadcast', (name, op) => {
    const error = thrown(() => op(Tensor.zeros([2, 3]), Tensor.zeros([2, 4])));
    expect(error).toBeInstanceOf(ShapeError);
    expect((error as ShapeError).op).toBe(name);
    expect(error.message).toContain('[2, 3]');
    expect(error.message).toContain('[2, 4]');
  });
});

describe('add, sub, mul, div: out', () => {
  for (const [name, op, fn] of OPS) {
    it(`${name} writes into out === a for equal shapes, a row vector and a general broadcast`, () => {
      const rng = new Random(name.length);
      for (const shapeB of [[3, 4], [4], [1, 4], [3, 1]] as Shape[]) {
        const a = random(rng, [3, 4]);
        const b = random(rng, shapeB);
        const expected = naiveBroadcast(a, b, fn).values;
        expect(op(a, b, a)).toBe(a);
        expect(Array.from(a.data)).toEqual(expected);
      }
    });

    it(`${name} writes into out === b, and into a reshaped view of a`, () => {
      const rng = new Random(name.length + 1);
      const a = random(rng, [3, 4]);
      const b = random(rng, [3, 4]);
      const expected = naiveBroadcast(a, b, fn).values;
      expect(op(a, b, b)).toBe(b);
      expect(Array.from(b.data)).toEqual(expected);

      // out is a different Tensor object over the same array as a.
      const c = random(rng, [3, 4]);
      const d = random(rng, [3, 1]);
      const expected2 = naiveBroadcast(c, d, fn).values;
      const view = c.reshape([3, 4]);
      op(c, d, view);
      expect(Array.from(c.data)).toEqual(expected2);
    });
  }

  it('reuses a given out and returns it', () => {
    const out = Tensor.full([2, 3], Number.NaN);
    expect(add(X, Y, out)).toBe(out);
    expect(Array.from(out.data)).toEqual([7, 7, 7, 7, 7, 7]);
  });

  it.each(OPS)('%s rejects an out of the wrong shape, naming both shapes', (name, op) => {
    const error = thrown(() => op(X, Tensor.from([1, 2, 3]), Tensor.zeros([3, 2])));
    expect(error).toBeInstanceOf(ShapeError);
    expect((error as ShapeError).op).toBe(name);
    expect(error.message).toContain('[2, 3]');
    expect(error.message).toContain('[3, 2]');
  });

  it.each(OPS)('%s throws a TypeError for arguments that are not tensors', (name, op) => {
    expect(() => op([1, 2] as unknown as Tensor, X)).toThrow(TypeError);
    expect(() => op(X, 3 as unknown as Tensor)).toThrow(`${name}: b must be a Tensor`);
    expect(() => op(X, Y, {} as Tensor)).toThrow(TypeError);
  });
});

describe('scale and addScalar', () => {
  it('compute α·x and x + α', () => {
    expect(scale(X, -2).toArray()).toEqual([
      [-2, -4, -6],
      [-8, -10, -12],
    ]);
    expect(addScalar(X, 0.5).toArray()).toEqual([
      [1.5, 2.5, 3.5],
      [4.5, 5.5, 6.5],
    ]);
    expect(scale(Tensor.fromArray(3), 2).toArray()).toBe(6);
  });

  it('run in place when out is x', () => {
    const x = X.clone();
    expect(scale(x, 3, x)).toBe(x);
    expect(Array.from(x.data)).toEqual([3, 6, 9, 12, 15, 18]);
    expect(addScalar(x, -3, x)).toBe(x);
    expect(Array.from(x.data)).toEqual([0, 3, 6, 9, 12, 15]);
  });

  it('reject a wrong out shape and non-tensors', () => {
    expect(() => scale(X, 2, Tensor.zeros([6]))).toThrow(ShapeError);
    expect(() => addScalar(X, 2, Tensor.zeros([3, 2]))).toThrow(/addScalar: .*\[2, 3\].*\[3, 2\]/);
    expect(() => scale(null as unknown as Tensor, 2)).toThrow(TypeError);
    expect(() => addScalar({} as Tensor, 2)).toThrow(TypeError);
  });
});

describe('clamp', () => {
  it('limits to [low, high] and keeps NaN', () => {
    const x = Tensor.from([-3, -1, 0, 0.5, 2, Number.NaN]);
    expect(Array.from(clamp(x, -1, 1).data)).toEqual([-1, -1, 0, 0.5, 1, Number.NaN]);
    const y = x.clone();
    expect(clamp(y, 0, 0, y)).toBe(y);
    expect(Array.from(y.data)).toEqual([0, 0, 0, 0, 0, Number.NaN]);
  });

  it('rejects low > high or NaN bounds with a RangeError, and a wrong out', () => {
    expect(() => clamp(X, 2, 1)).toThrow(RangeError);
    expect(() => clamp(X, Number.NaN, 1)).toThrow(RangeError);
    expect(() => clamp(X, 0, 1, Tensor.zeros([3, 2]))).toThrow(ShapeError);
  });
});

describe('axpy', () => {
  it('adds α·x into y in place and returns y', () => {
    const y = Tensor.from([1, 1, 1]);
    expect(axpy(-0.5, Tensor.from([2, 4, -6]), y)).toBe(y);
    expect(Array.from(y.data)).toEqual([0, -1, 4]);
  });

  it('matches the definition on random data, including an SGD step θ ← θ − α·g', () => {
    const rng = new Random(21);
    const g = random(rng, [5, 7]);
    const theta = random(rng, [5, 7]);
    const expected = Array.from(theta.data, (t, i) => Math.fround(t - 0.1 * g.data[i]));
    axpy(-0.1, g, theta);
    expect(Array.from(theta.data)).toEqual(expected);
  });

  it('throws a ShapeError naming both shapes when x and y differ', () => {
    const error = thrown(() => axpy(1, Tensor.zeros([2, 3]), Tensor.zeros([6])));
    expect(error).toBeInstanceOf(ShapeError);
    expect((error as ShapeError).op).toBe('axpy');
    expect(error.message).toContain('[2, 3]');
    expect(error.message).toContain('[6]');
  });

  it('throws a TypeError when x or y is not a tensor', () => {
    expect(() => axpy(1, new Float32Array(2) as unknown as Tensor, Tensor.zeros([2]))).toThrow(TypeError);
    expect(() => axpy(1, Tensor.zeros([2]), new Float32Array(2) as unknown as Tensor)).toThrow(TypeError);
  });
});

describe('addRowVector', () => {
  it('adds v to every row, hand-checked', () => {
    expect(addRowVector(X, Tensor.from([10, 20, 30])).toArray()).toEqual([
      [11, 22, 33],
      [14, 25, 36],
    ]);
  });

  it('accepts v as [1, cols] and x of any rank', () => {
    const x = Tensor.from(
      Array.from({ length: 12 }, (_, i) => i),
      [2, 2, 3],
    );
    const y = addRowVector(x, Tensor.from([100, 200, 300], [1, 3]));
    expect(y.shape).toEqual([2, 2, 3]);
    expect(Array.from(y.data)).toEqual([100, 201, 302, 103, 204, 305, 106, 207, 308, 109, 210, 311]);
  });

  it('matches the definition on random odd shapes and runs in place', () => {
    const rng = new Random(22);
    for (const [rows, cols] of [
      [1, 1],
      [1, 17],
      [13, 1],
      [33, 65],
    ]) {
      const x = random(rng, [rows, cols]);
      const v = random(rng, [cols]);
      const expected = naiveBroadcast(x, v, (p, q) => p + q).values;
      expect(Array.from(addRowVector(x, v).data)).toEqual(expected);
      expect(addRowVector(x, v, x)).toBe(x);
      expect(Array.from(x.data)).toEqual(expected);
    }
  });

  it('handles zero rows and zero columns', () => {
    expect(addRowVector(Tensor.zeros([0, 3]), Tensor.zeros([3])).shape).toEqual([0, 3]);
    expect(addRowVector(Tensor.zeros([4, 0]), Tensor.zeros([0])).shape).toEqual([4, 0]);
  });

  it.each([[[2]], [[3, 1]], [[2, 3]], [[1, 1, 3]], [[]]])(
    'throws a ShapeError naming both shapes for v of shape %j',
    (shape) => {
      const error = thrown(() => addRowVector(X, Tensor.zeros(shape)));
      expect(error).toBeInstanceOf(ShapeError);
      expect((error as ShapeError).op).toBe('addRowVector');
      expect(error.message).toContain('[2, 3]');
      expect(error.message).toContain(`found [${shape.join(', ')}]`);
    },
  );

  it('rejects a scalar x, a wrong out and non-tensors', () => {
    expect(() => addRowVector(Tensor.fromArray(1), Tensor.zeros([1]))).toThrow(ShapeError);
    expect(() => addRowVector(X, Tensor.zeros([3]), Tensor.zeros([3, 2]))).toThrow(ShapeError);
    expect(() => addRowVector(X, [1, 2, 3] as unknown as Tensor)).toThrow(TypeError);
  });
});
