import { describe, expect, it } from 'vitest';
import { ShapeError } from './shape-error.js';

describe('ShapeError', () => {
  it('is an Error with its own name, the op, and a message prefixed by the op', () => {
    const error = new ShapeError('gemm', 'inner dimensions 3 and 4 differ');
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(ShapeError);
    expect(error.name).toBe('ShapeError');
    expect(error.op).toBe('gemm');
    expect(error.message).toBe('gemm: inner dimensions 3 and 4 differ');
  });

  it('mismatch names what, the expected and the found shapes', () => {
    const error = ShapeError.mismatch('col2im', 'col', [2, 9, 16], [2, 9, 15]);
    expect(error).toBeInstanceOf(ShapeError);
    expect(error.op).toBe('col2im');
    expect(error.message).toBe('col2im: col must have shape [2, 9, 16] but has [2, 9, 15]');
  });
});
