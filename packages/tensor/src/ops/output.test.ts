import { describe, expect, it } from 'vitest';
import type { Backend } from '../backend/backend.js';
import { jsBackend } from '../backend/js/index.js';
import { ShapeError } from '../shape-error.js';
import { Tensor } from '../tensor.js';
import { checkRank, checkShapeOf, checkTensor, outputFor, overlaps } from './output.js';

describe('outputFor', () => {
  it('allocates zeros of the shape when no out is given', () => {
    const y = outputFor('op', [2, 3], undefined, undefined);
    expect(y.shape).toEqual([2, 3]);
    expect(Array.from(y.data)).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('allocates the output on the placement backend, in its own memory', () => {
    const lengths: number[] = [];
    const memory = new Float32Array(16);
    const placed: Backend = {
      ...jsBackend,
      name: 'recording',
      allocate: (length) => {
        lengths.push(length);
        return memory.subarray(0, length);
      },
    };
    const y = outputFor('op', [2, 3], undefined, placed);
    expect(lengths).toEqual([6]);
    expect(y.backend).toBe(placed);
    expect(y.data.buffer).toBe(memory.buffer);
    expect(y.shape).toEqual([2, 3]);
    // Without a placement the output is ordinary memory: nothing more is allocated on the backend.
    expect(outputFor('op', [2, 3], undefined, undefined).backend).toBeUndefined();
    expect(lengths).toEqual([6]);
  });

  it('returns the given out untouched when its shape matches', () => {
    const out = Tensor.full([2, 3], 5);
    expect(outputFor('op', [2, 3], out, undefined)).toBe(out);
    expect(out.data.every((v) => v === 5)).toBe(true);
  });

  it('rejects an out of another shape with a ShapeError naming the op and both shapes', () => {
    expect(() => outputFor('myOp', [2, 3], Tensor.zeros([3, 2]), undefined)).toThrow(
      new ShapeError('myOp', 'out must have shape [2, 3] but has [3, 2]'),
    );
  });

  it('rejects an out that is not a Tensor with a TypeError', () => {
    expect(() => outputFor('myOp', [1], new Float32Array(1) as unknown as Tensor, undefined)).toThrow(TypeError);
  });
});

describe('overlaps', () => {
  const buffer = new Float32Array(8);

  it('is false for different buffers', () => {
    expect(overlaps(new Float32Array(4), new Float32Array(4))).toBe(false);
  });

  it('is true for the same array and for intersecting views', () => {
    expect(overlaps(buffer, buffer)).toBe(true);
    expect(overlaps(buffer.subarray(0, 4), buffer.subarray(3, 8))).toBe(true);
    expect(overlaps(buffer.subarray(2, 3), buffer)).toBe(true);
  });

  it('is false for adjacent views', () => {
    expect(overlaps(buffer.subarray(0, 4), buffer.subarray(4, 8))).toBe(false);
    expect(overlaps(buffer.subarray(4, 8), buffer.subarray(0, 4))).toBe(false);
  });
});

describe('checkTensor, checkRank and checkShapeOf', () => {
  it('checkTensor throws a TypeError naming the op, the argument and what was found', () => {
    expect(() => checkTensor('add', 'b', null)).toThrow('add: b must be a Tensor, found null');
    expect(() => checkTensor('add', 'b', 3)).toThrow('add: b must be a Tensor, found number');
    expect(() => checkTensor('add', 'b', Tensor.zeros([1]))).not.toThrow();
  });

  it('checkRank throws a ShapeError naming the argument, the rank and the shape', () => {
    expect(() => checkRank('gemm', 'A', Tensor.zeros([2, 3, 4]), 2)).toThrow(
      'gemm: A must be 2-D but has shape [2, 3, 4]',
    );
    expect(() => checkRank('gemm', 'A', Tensor.zeros([2, 3]), 2)).not.toThrow();
    expect(() => checkRank('gemm', 'A', {} as Tensor, 2)).toThrow(TypeError);
  });

  it('checkShapeOf throws a ShapeError naming the argument and both shapes', () => {
    expect(() => checkShapeOf('axpy', 'y', Tensor.zeros([3]), [2])).toThrow('axpy: y must have shape [2] but has [3]');
    expect(() => checkShapeOf('axpy', 'y', Tensor.zeros([2]), [2])).not.toThrow();
    expect(() => checkShapeOf('axpy', 'y', 'x', [2])).toThrow(TypeError);
  });
});
