import { describe, expect, it } from 'vitest';
import { createParam, type Param } from '../param.js';
import { clipGradNorm } from './clip-grad-norm.js';

function params(...grads: number[][]): Param[] {
  return grads.map((g, i) => {
    const p = createParam(`p${i}`, [g.length]);
    p.grad.data.set(g);
    return p;
  });
}

const grads = (ps: Param[]) => ps.map((p) => Array.from(p.grad.data));

describe('clipGradNorm', () => {
  it('scales every gradient by maxNorm/‖g‖ when the global norm is larger, and returns the norm before', () => {
    // ‖g‖ = √(3² + 0² + 0² + 4²) = 5 over both parameters; maxNorm 1 scales by 0.2.
    const ps = params([3, 0], [0, 4]);
    expect(clipGradNorm(ps, 1)).toBe(5);
    expect(grads(ps)).toEqual([
      [Math.fround(0.6), 0],
      [0, Math.fround(0.8)],
    ]);
    // The clipped norm is maxNorm (up to float32 rounding), and clipping again changes nothing.
    expect(clipGradNorm(ps, 1)).toBeCloseTo(1, 6);
  });

  it('leaves gradients within the norm untouched', () => {
    const ps = params([0.5, -0.5], [1]);
    expect(clipGradNorm(ps, 2)).toBeCloseTo(Math.sqrt(1.5), 12);
    expect(grads(ps)).toEqual([[0.5, -0.5], [1]]);
    expect(clipGradNorm(params([3, 4]), 5)).toBe(5); // exactly at the limit: no change
    expect(clipGradNorm([], 1)).toBe(0);
  });

  it('returns a NaN or infinite norm and leaves the gradients as they are', () => {
    const nan = params([Number.NaN, 1], [2]);
    expect(clipGradNorm(nan, 1)).toBeNaN();
    expect(grads(nan)).toEqual([[Number.NaN, 1], [2]]);
    const infinite = params([Number.POSITIVE_INFINITY, 1]);
    expect(clipGradNorm(infinite, 1)).toBe(Number.POSITIVE_INFINITY);
    expect(grads(infinite)).toEqual([[Number.POSITIVE_INFINITY, 1]]);
  });

  it('rejects a maxNorm that is not a finite number > 0', () => {
    for (const maxNorm of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => clipGradNorm(params([1]), maxNorm)).toThrow(
        new RangeError(`clipGradNorm: maxNorm must be a finite number > 0, found ${maxNorm}`),
      );
    }
  });
});
