import { afterEach, describe, expect, it } from 'vitest';
import type { Backend } from '../backend/backend.js';
import { setBackend } from '../backend/current.js';
import { jsBackend } from '../backend/js/index.js';
import { Tensor } from '../tensor.js';
import { gemm, matmul } from './gemm.js';
import { PlacementError, placementOf } from './placement.js';
import { sum } from './reduce.js';
import { relu } from './relu.js';

/** A reference backend that counts its relu and gemm calls and the arrays it allocates, under its own name. */
function tracing(name: string): Backend & { calls: string[]; allocated: Float32Array[] } {
  const calls: string[] = [];
  const allocated: Float32Array[] = [];
  return {
    ...jsBackend,
    name,
    calls,
    allocated,
    allocate(length) {
      const array = new Float32Array(length);
      allocated.push(array);
      return array;
    },
    relu(n, x, out) {
      calls.push('relu');
      jsBackend.relu(n, x, out);
    },
    gemm(...args) {
      calls.push('gemm');
      jsBackend.gemm(...args);
    },
  };
}

let restore: Backend | undefined;
afterEach(() => {
  if (restore) setBackend(restore);
  restore = undefined;
});

describe('where an op runs', () => {
  it('runs on the current backend when no operand is placed, and leaves its result unplaced', () => {
    const current = tracing('current');
    restore = setBackend(current);
    const y = relu(Tensor.fromArray([-1, 2]));
    expect(current.calls).toEqual(['relu']);
    expect(y.backend).toBeUndefined();
    expect(current.allocated).toHaveLength(0);
    expect(Array.from(y.data)).toEqual([0, 2]);
  });

  it("runs on the operands' backend whatever the current one is, and places its result there", () => {
    const current = tracing('current');
    const home = tracing('home');
    restore = setBackend(current);
    const x = Tensor.fromArray([-1, 2]).to(home);
    const y = relu(x);
    expect(home.calls).toEqual(['relu']);
    expect(current.calls).toEqual([]);
    expect(y.backend).toBe(home);
    expect(home.allocated).toContain(y.data);
  });

  it('runs a mix of placed and unplaced operands on the placed one', () => {
    const home = tracing('home');
    const x = Tensor.fromArray([[1, 2]]);
    const w = Tensor.fromArray([[3], [4]]).to(home);
    const y = matmul(x, w);
    expect(home.calls).toEqual(['gemm']);
    expect(y.backend).toBe(home);
    expect(y.get(0, 0)).toBe(11);
  });

  it('places an output by its operands even for reductions', () => {
    const home = tracing('home');
    const total = sum(Tensor.fromArray([1, 2, 3]).to(home));
    expect(total.backend).toBe(home);
    expect(total.get()).toBe(6);
  });

  it('refuses operands placed on two backends, naming both', () => {
    const a = tracing('first');
    const b = tracing('second');
    const c = Tensor.zeros([1, 1], b);
    const error = (() => {
      try {
        gemm(Tensor.zeros([1, 1], a), Tensor.zeros([1, 1]), c);
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error).toBeInstanceOf(PlacementError);
    expect(error?.message).toMatch(/^gemm: operands are placed on two backends, 'first' and 'second'/);
    expect(a.calls).toEqual([]);
    expect(b.calls).toEqual([]);
  });

  it('tells two instances of one backend apart', () => {
    expect(() => placementOf('op', Tensor.zeros([1], tracing('wasm')), Tensor.zeros([1], tracing('wasm')))).toThrow(
      "'wasm' and 'wasm' (two instances)",
    );
  });

  it('finds the placement among any of eight operands', () => {
    const home = tracing('home');
    const plain = Tensor.zeros([1]);
    expect(placementOf('op', plain, plain, plain, plain, plain, plain, plain, Tensor.zeros([1], home))).toBe(home);
    expect(placementOf('op', undefined, plain)).toBeUndefined();
  });
});
