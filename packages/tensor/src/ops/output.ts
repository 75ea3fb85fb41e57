import type { Backend } from '../backend/backend.js';
import { formatShape, type Shape, shapesEqual } from '../shape.js';
import { ShapeError } from '../shape-error.js';
import { Tensor } from '../tensor.js';

/**
 * Returns `out` after checking its shape, or a new zero tensor of `shape`, placed where the op's operands are
 * (`placement`), when no `out` was given. This is the one place an op allocates, so a training loop that passes its
 * own outputs allocates nothing.
 * @internal
 */
export function outputFor(op: string, shape: Shape, out: Tensor | undefined, placement: Backend | undefined): Tensor {
  if (out === undefined) return Tensor.zeros(shape, placement);
  if (!(out instanceof Tensor)) throw new TypeError(`${op}: out must be a Tensor, found ${typeof out}`);
  if (!shapesEqual(out.shape, shape)) {
    throw new ShapeError(op, `out must have shape ${formatShape(shape)} but has ${formatShape(out.shape)}`);
  }
  return out;
}

/** Whether two arrays share any memory (views of one buffer whose byte ranges intersect). @internal */
export function overlaps(a: Float32Array, b: Float32Array): boolean {
  if (a.buffer !== b.buffer) return false;
  return a.byteOffset < b.byteOffset + b.byteLength && b.byteOffset < a.byteOffset + a.byteLength;
}

/** Throws unless `x` is a Tensor; names the op and the argument. @internal */
export function checkTensor(op: string, name: string, x: unknown): asserts x is Tensor {
  if (!(x instanceof Tensor)) {
    throw new TypeError(`${op}: ${name} must be a Tensor, found ${x === null ? 'null' : typeof x}`);
  }
}

/** Throws unless `x` has the given rank. @internal */
export function checkRank(op: string, name: string, x: Tensor, rank: number): void {
  checkTensor(op, name, x);
  if (x.rank !== rank) {
    throw new ShapeError(op, `${name} must be ${rank}-D but has shape ${formatShape(x.shape)}`);
  }
}

/** Throws a {@link ShapeError} naming argument `name` unless `x` is a tensor of `shape`. @internal */
export function checkShapeOf(op: string, name: string, x: unknown, shape: Shape): asserts x is Tensor {
  checkTensor(op, name, x);
  if (!shapesEqual(x.shape, shape)) throw ShapeError.mismatch(op, name, shape, x.shape);
}

/**
 * Throws a {@link ShapeError} unless every tensor has `shape` and no two share memory: the in-place optimizer updates
 * read and write several arrays in one pass, element by element. @internal
 */
export function checkDisjointOperands(op: string, shape: Shape, tensors: Readonly<Record<string, unknown>>): void {
  const names = Object.keys(tensors);
  for (const name of names) checkShapeOf(op, name, tensors[name], shape);
  for (let i = 0; i < names.length; i++) {
    for (let j = i + 1; j < names.length; j++) {
      const a = tensors[names[i]] as Tensor;
      const b = tensors[names[j]] as Tensor;
      if (overlaps(a.data, b.data)) throw new ShapeError(op, `${names[i]} and ${names[j]} share memory`);
    }
  }
}

/** Throws a RangeError naming `name` unless `value` passes `valid`, described by `expected`. @internal */
export function checkOption(op: string, name: string, value: number, valid: boolean, expected: string): void {
  if (!valid) throw new RangeError(`${op}: ${name} must be ${expected}, found ${value}`);
}
