import { describe, expect, it } from 'vitest';
import { broadcastShapes, checkShape, formatShape, normalizeAxis, shapeSize, shapesEqual } from './shape.js';
import { ShapeError } from './shape-error.js';

describe('formatShape', () => {
  it('prints dimensions in brackets, comma-separated', () => {
    expect(formatShape([64, 784])).toBe('[64, 784]');
    expect(formatShape([3])).toBe('[3]');
    expect(formatShape([])).toBe('[]');
  });
});

describe('shapeSize', () => {
  it('is the product of the dimensions', () => {
    expect(shapeSize([2, 3, 4])).toBe(24);
    expect(shapeSize([7])).toBe(7);
  });

  it('is 1 for a scalar and 0 when any dimension is 0', () => {
    expect(shapeSize([])).toBe(1);
    expect(shapeSize([3, 0, 5])).toBe(0);
  });
});

describe('shapesEqual', () => {
  it('compares rank and every dimension', () => {
    expect(shapesEqual([2, 3], [2, 3])).toBe(true);
    expect(shapesEqual([], [])).toBe(true);
    expect(shapesEqual([2, 3], [3, 2])).toBe(false);
    expect(shapesEqual([2, 3], [2, 3, 1])).toBe(false);
    expect(shapesEqual([1], [])).toBe(false);
  });
});

describe('checkShape', () => {
  it('returns a frozen copy', () => {
    const shape = [2, 3];
    const checked = checkShape('op', shape);
    expect(checked).toEqual([2, 3]);
    expect(checked).not.toBe(shape);
    expect(Object.isFrozen(checked)).toBe(true);
    shape[0] = 9;
    expect(checked[0]).toBe(2);
  });

  it('accepts zero dimensions and the scalar shape', () => {
    expect(checkShape('op', [0, 4])).toEqual([0, 4]);
    expect(checkShape('op', [])).toEqual([]);
  });

  it.each([[[-1]], [[2, 1.5]], [[Number.NaN]], [[Number.POSITIVE_INFINITY]], [[2 ** 53]]])(
    'rejects %j with a ShapeError naming the op and the shape',
    (shape) => {
      let error: unknown;
      try {
        checkShape('myOp', shape);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ShapeError);
      expect((error as ShapeError).op).toBe('myOp');
      expect((error as ShapeError).message).toContain(formatShape(shape));
    },
  );

  it('rejects a non-array', () => {
    expect(() => checkShape('op', 3 as unknown as number[])).toThrow(ShapeError);
  });
});

describe('normalizeAxis', () => {
  it('maps negative axes from the end', () => {
    expect(normalizeAxis('op', 0, [2, 3, 4])).toBe(0);
    expect(normalizeAxis('op', 2, [2, 3, 4])).toBe(2);
    expect(normalizeAxis('op', -1, [2, 3, 4])).toBe(2);
    expect(normalizeAxis('op', -3, [2, 3, 4])).toBe(0);
  });

  it.each([3, -4, 0.5, Number.NaN])('rejects axis %d for a rank-3 shape', (axis) => {
    expect(() => normalizeAxis('sum', axis, [2, 3, 4])).toThrow(ShapeError);
    expect(() => normalizeAxis('sum', axis, [2, 3, 4])).toThrow(/sum: .*\[-3, 3\).*\[2, 3, 4\]/);
  });

  it('rejects every axis of a scalar', () => {
    expect(() => normalizeAxis('op', 0, [])).toThrow(ShapeError);
    expect(() => normalizeAxis('op', -1, [])).toThrow(ShapeError);
  });
});

describe('broadcastShapes', () => {
  it.each([
    [
      [2, 3],
      [2, 3],
      [2, 3],
    ],
    [[2, 3], [3], [2, 3]],
    [[3], [2, 3], [2, 3]],
    [
      [2, 1, 3],
      [4, 1],
      [2, 4, 3],
    ],
    [
      [4, 1],
      [2, 1, 3],
      [2, 4, 3],
    ],
    [
      [5, 1],
      [1, 6],
      [5, 6],
    ],
    [[], [2, 3], [2, 3]],
    [[2, 3], [], [2, 3]],
    [
      [0, 3],
      [1, 3],
      [0, 3],
    ],
    [[1], [0], [0]],
  ])('%j with %j → %j', (a, b, expected) => {
    expect(broadcastShapes('op', a, b)).toEqual(expected);
  });

  it('throws a ShapeError naming both shapes and the clashing dimension', () => {
    let error: unknown;
    try {
      broadcastShapes('add', [2, 3], [4, 3]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ShapeError);
    expect((error as ShapeError).op).toBe('add');
    expect((error as ShapeError).message).toContain('[2, 3]');
    expect((error as ShapeError).message).toContain('[4, 3]');
    expect((error as ShapeError).message).toContain('2 vs 4');
  });
});
