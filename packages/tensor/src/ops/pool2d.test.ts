import { describe, expect, it } from 'vitest';
import { Random } from '../random.js';
import { ShapeError } from '../shape-error.js';
import { Tensor } from '../tensor.js';
import {
  avgPool2d,
  avgPool2dBackward,
  maxPool2d,
  maxPool2dBackward,
  type PoolWindow,
  poolOutputShape,
} from './pool2d.js';

/** Pooling from its definition, over padded windows; returns outputs and, for max, the flat index of each maximum. */
function naivePool(x: Tensor, k: number, s: number, p: number, mode: 'max' | 'avg') {
  const [n, c, h, w] = x.shape as [number, number, number, number];
  const outH = Math.floor((h + 2 * p - k) / s) + 1;
  const outW = Math.floor((w + 2 * p - k) / s) + 1;
  const values: number[] = [];
  const indices: number[] = [];
  for (let plane = 0; plane < n * c; plane++) {
    for (let oy = 0; oy < outH; oy++) {
      for (let ox = 0; ox < outW; ox++) {
        let best = Number.NEGATIVE_INFINITY;
        let index = -1;
        let total = 0;
        for (let u = 0; u < k; u++) {
          for (let v = 0; v < k; v++) {
            const yy = oy * s - p + u;
            const xx = ox * s - p + v;
            if (yy < 0 || yy >= h || xx < 0 || xx >= w) continue;
            const i = plane * h * w + yy * w + xx;
            total += x.data[i];
            if (x.data[i] > best) {
              best = x.data[i];
              index = i;
            }
          }
        }
        values.push(mode === 'max' ? best : total / (k * k));
        indices.push(index);
      }
    }
  }
  return { shape: [n, c, outH, outW], values, indices };
}

const cases = [
  [[2, 3, 6, 6], 2, 2, 0],
  [[1, 2, 7, 5], 3, 2, 1],
  [[2, 1, 5, 8], 3, 1, 1],
  [[1, 1, 4, 4], 2, 1, 1],
] as const;

describe('maxPool2d and avgPool2d against their definitions', () => {
  for (const [shape, k, s, p] of cases) {
    it(`[${shape}] pool ${k} stride ${s} pad ${p}`, () => {
      const rng = new Random(k * 10 + s + p);
      const x = Tensor.zeros(shape);
      rng.fillUniform(x.data, -1, 1);
      const window: PoolWindow = { poolSize: k, stride: s, padding: p };

      const max = naivePool(x, k, s, p, 'max');
      const argmax = new Int32Array(max.values.length);
      const y = maxPool2d(x, window, undefined, argmax);
      expect(y.shape).toEqual(max.shape);
      expect(poolOutputShape(shape, window)).toEqual(max.shape);
      expect(Array.from(y.data)).toEqual(max.values.map(Math.fround));
      expect(Array.from(argmax)).toEqual(max.indices);

      const avg = naivePool(x, k, s, p, 'avg');
      const z = avgPool2d(x, window);
      for (let i = 0; i < avg.values.length; i++) expect(z.data[i]).toBeCloseTo(avg.values[i], 6);

      // Max pooling sends each dy to the index of its window's maximum.
      const dy = Tensor.zeros(y.shape);
      rng.fillUniform(dy.data, -1, 1);
      const dxMax = maxPool2dBackward(dy, argmax, shape);
      const expectedMax = new Float32Array(x.size);
      max.indices.forEach((i, o) => {
        expectedMax[i] += dy.data[o];
      });
      expect(Array.from(dxMax.data)).toEqual(Array.from(expectedMax));

      const dxAvg = avgPool2dBackward(dy, shape, window);
      // ⟨avgPool(x), dy⟩ = ⟨x, avgPool2dBackward(dy)⟩
      let lhs = 0;
      let rhs = 0;
      for (let i = 0; i < z.size; i++) lhs += z.data[i] * dy.data[i];
      for (let i = 0; i < x.size; i++) rhs += x.data[i] * dxAvg.data[i];
      expect(lhs).toBeCloseTo(rhs, 5);
    });
  }
});

describe('pooling defaults and errors', () => {
  it('defaults the stride to the pool size', () => {
    expect(poolOutputShape([1, 1, 28, 28], { poolSize: 2 })).toEqual([1, 1, 14, 14]);
    expect(poolOutputShape([1, 1, 28, 28], { poolSize: [2, 4], padding: [0, 1] })).toEqual([1, 1, 14, 7]);
  });

  it('overwrites the output of a backward pass', () => {
    const x = Tensor.fromArray([
      [
        [
          [1, 2],
          [3, 4],
        ],
      ],
    ]);
    const argmax = new Int32Array(1);
    maxPool2d(x, { poolSize: 2 }, undefined, argmax);
    const dx = Tensor.fromArray([
      [
        [
          [9, 9],
          [9, 9],
        ],
      ],
    ]);
    maxPool2dBackward(Tensor.fromArray([[[[5]]]]), argmax, x.shape, dx);
    expect(dx.toArray()).toEqual([
      [
        [
          [0, 0],
          [0, 5],
        ],
      ],
    ]);
    avgPool2dBackward(Tensor.fromArray([[[[4]]]]), x.shape, { poolSize: 2 }, dx);
    expect(dx.toArray()).toEqual([
      [
        [
          [1, 1],
          [1, 1],
        ],
      ],
    ]);
  });

  it('rejects bad inputs, windows and outputs', () => {
    const x = Tensor.zeros([1, 1, 4, 4]);
    expect(() => maxPool2d(Tensor.zeros([4, 4]), { poolSize: 2 })).toThrow(ShapeError);
    expect(() => avgPool2d(x, { poolSize: 5 })).toThrow(/does not fit/);
    expect(() => avgPool2d(x, { poolSize: 2, padding: 2 })).toThrow(/at most half the pool size/);
    expect(() => avgPool2d(x, { poolSize: 0 })).toThrow(RangeError);
    expect(() => maxPool2d(x, { poolSize: 2 }, Tensor.zeros([1, 1, 3, 3]))).toThrow(ShapeError);
    expect(() => maxPool2d(x, { poolSize: 2 }, undefined, new Int32Array(3))).toThrow(/Int32Array of 4/);
    const dy = Tensor.zeros([1, 1, 2, 2]);
    expect(() => maxPool2dBackward(dy, new Int32Array(3), x.shape)).toThrow(ShapeError);
    expect(() => maxPool2dBackward(dy, Int32Array.from([0, 1, 2, 16]), x.shape)).toThrow(/argmax\[3\] is 16/);
    expect(() => avgPool2dBackward(Tensor.zeros([1, 1, 3, 3]), x.shape, { poolSize: 2 })).toThrow(/dy must have shape/);
  });
});
