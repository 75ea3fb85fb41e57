import type { Backend } from './backend/backend.js';
import { checkShape, formatShape, type Shape, shapeSize } from './shape.js';
import { ShapeError } from './shape-error.js';

/** Nested JavaScript arrays of numbers, such as `[[1, 2], [3, 4]]`, as accepted by {@link Tensor.fromArray}. */
export type NestedArray = number | readonly NestedArray[];

/**
 * A dense, contiguous, row-major array of float32 values with a shape of any rank.
 *
 * Rows are the batch: dense layers use `[batch, features]`, convolutions `[batch, channels, height, width]`.
 * The tensor owns no memory of its own beyond {@link Tensor.data}; {@link Tensor.reshape} returns a view over the
 * same array and {@link Tensor.clone} copies. There is nothing to dispose: the garbage collector frees tensors.
 *
 * A tensor is either in ordinary JavaScript memory, where ops on it run on the current backend (`getBackend()`), or
 * placed on a backend ({@link Tensor.backend}): its array is then in that backend's own memory where it has one
 * (`Backend.allocate`; the `wasm-simd` backend's WebAssembly memory, which its kernels use without copying), and ops
 * on it run on that backend whatever the current one is, writing new tensors there too. Place a tensor with
 * {@link Tensor.to} (a copy) or {@link Tensor.moveTo} (in place); a model places all of its tensors in one call
 * (`model.to(backend)` in `@mnist/nn`).
 *
 * Operations are free functions (`add`, `matmul`, `softmax`, …) so that unused ones are tree-shaken away.
 *
 * @example
 * ```ts
 * const x = Tensor.fromArray([[1, 2, 3], [4, 5, 6]]); // shape [2, 3]
 * const flat = x.reshape([6]);                         // a view: writes to flat show in x
 * x.get(1, 2);                                         // 6
 * ```
 */
export class Tensor {
  /**
   * The values in row-major order. Its length always equals {@link Tensor.size}. Only {@link Tensor.moveTo} replaces
   * it (with an array on another backend).
   */
  readonly data: Float32Array;
  /** The dimensions, outermost first. Frozen. */
  readonly shape: Shape;
  /**
   * The backend this tensor is placed on, or `undefined` for ordinary JavaScript memory. Ops run on the backend their
   * operands are placed on (operands placed on two different backends are an error), else on the current backend, and
   * a tensor they allocate is placed where its operands were.
   */
  readonly backend: Backend | undefined;

  /**
   * Wraps an existing array without copying it.
   * @param data - row-major values; its length must equal the product of `shape`
   * @param shape - the dimensions; defaults to `[data.length]`
   * @param backend - the backend `data` belongs to (see {@link Tensor.backend}); omit it for ordinary memory. A view
   *   of a placed tensor's array keeps that tensor's backend.
   * @throws {@link ShapeError} when the length and the shape disagree
   */
  constructor(data: Float32Array, shape: Shape = [data.length], backend?: Backend) {
    this.shape = checkShape('Tensor', shape);
    if (!(data instanceof Float32Array)) {
      throw new TypeError(`Tensor: data must be a Float32Array, found ${describe(data)}`);
    }
    const size = shapeSize(this.shape);
    if (data.length !== size) {
      throw new ShapeError('Tensor', `shape ${formatShape(shape)} holds ${size} values but data has ${data.length}`);
    }
    this.data = data;
    this.backend = backend;
  }

  /**
   * A tensor of zeros, in ordinary memory or, given a backend, placed on it (in its own memory when it has one).
   * @throws {@link ShapeError} on an invalid shape
   */
  static zeros(shape: Shape, backend?: Backend): Tensor {
    const checked = checkShape('Tensor.zeros', shape);
    return new Tensor(allocate(shapeSize(checked), backend), checked, backend);
  }

  /** A tensor of ones. */
  static ones(shape: Shape): Tensor {
    return Tensor.full(shape, 1);
  }

  /** A tensor with every element set to `value`. */
  static full(shape: Shape, value: number): Tensor {
    return Tensor.zeros(shape).fill(value);
  }

  /**
   * Copies numbers into a new tensor. Accepts any array-like (plain arrays, typed arrays of any kind).
   * @param values - row-major values
   * @param shape - the dimensions; defaults to `[values.length]`
   */
  static from(values: ArrayLike<number>, shape: Shape = [values.length]): Tensor {
    const checked = checkShape('Tensor.from', shape);
    const size = shapeSize(checked);
    if (values.length !== size) {
      throw new ShapeError(
        'Tensor.from',
        `shape ${formatShape(checked)} holds ${size} values but ${values.length} were given`,
      );
    }
    return new Tensor(Float32Array.from(values), checked);
  }

  /**
   * Builds a tensor from nested arrays, inferring the shape: `[[1, 2], [3, 4]]` has shape `[2, 2]`, and a bare number
   * gives a scalar of shape `[]`.
   * @throws {@link ShapeError} when the nesting is ragged (rows of different lengths)
   */
  static fromArray(nested: NestedArray): Tensor {
    const shape: number[] = [];
    for (let level: NestedArray = nested; Array.isArray(level); level = (level as readonly NestedArray[])[0] ?? 0) {
      shape.push((level as readonly NestedArray[]).length);
      if (level.length === 0) break;
    }
    const data = new Float32Array(shapeSize(shape));
    let written = 0;
    const visit = (value: NestedArray, depth: number, path: string): void => {
      if (depth === shape.length) {
        if (typeof value !== 'number') {
          throw new ShapeError(
            'Tensor.fromArray',
            `expected a number at ${path || 'the top level'} for shape ${formatShape(shape)}, found an array`,
          );
        }
        data[written++] = value;
        return;
      }
      if (!Array.isArray(value) || value.length !== shape[depth]) {
        const found = Array.isArray(value) ? `an array of length ${value.length}` : typeof value;
        throw new ShapeError(
          'Tensor.fromArray',
          `ragged array: expected an array of length ${shape[depth]} at ${path || 'the top level'}, found ${found}`,
        );
      }
      for (let i = 0; i < value.length; i++) visit(value[i] as NestedArray, depth + 1, `${path}[${i}]`);
    };
    visit(nested, 0, '');
    return new Tensor(data, shape);
  }

  /** The number of elements. */
  get size(): number {
    return this.data.length;
  }

  /** The number of dimensions. */
  get rank(): number {
    return this.shape.length;
  }

  /**
   * A view with another shape over the same data (no copy). One dimension may be `-1` and is then inferred.
   * @throws {@link ShapeError} when the new shape holds a different number of elements
   */
  reshape(shape: Shape): Tensor {
    const inferred = shape.indexOf(-1);
    let resolved = shape;
    if (inferred >= 0) {
      const known = shapeSize(shape.filter((_, i) => i !== inferred));
      if (known === 0 || this.size % known !== 0) {
        throw new ShapeError(
          'reshape',
          `cannot infer -1 in ${formatShape(shape)} for ${this.size} elements of ${formatShape(this.shape)}`,
        );
      }
      resolved = shape.map((d, i) => (i === inferred ? this.size / known : d));
    }
    const checked = checkShape('reshape', resolved);
    if (shapeSize(checked) !== this.size) {
      throw new ShapeError(
        'reshape',
        `cannot view ${formatShape(this.shape)} (${this.size} elements) as ${formatShape(checked)} (${shapeSize(checked)} elements)`,
      );
    }
    return new Tensor(this.data, checked, this.backend);
  }

  /**
   * Rows `[start, end)` of the first dimension, as a view of the same array on the same backend (no copy): a batch of
   * examples. `x.rows(0, 64)` of a `[60000, 784]` tensor is `[64, 784]`.
   * @throws RangeError unless `0 ≤ start ≤ end ≤ shape[0]`
   */
  rows(start: number, end: number): Tensor {
    const count = this.shape[0];
    if (count === undefined) throw new ShapeError('rows', 'a scalar has no rows');
    if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || start > end || end > count) {
      throw new RangeError(`rows: expected 0 ≤ start ≤ end ≤ ${count}, found start ${start} and end ${end}`);
    }
    const rowSize = count === 0 ? 0 : this.size / count;
    return new Tensor(
      this.data.subarray(start * rowSize, end * rowSize),
      [end - start, ...this.shape.slice(1)],
      this.backend,
    );
  }

  /** A deep copy: same shape, new data, on the same backend. */
  clone(): Tensor {
    const copy = allocate(this.size, this.backend);
    copy.set(this.data);
    return new Tensor(copy, this.shape, this.backend);
  }

  /**
   * This tensor placed on `backend` (`undefined`: ordinary memory): itself when it already is, else a copy there.
   * @example
   * ```ts
   * const onWasm = Tensor.fromArray([1, 2, 3]).to(createWasmBackend({ threads: 1 }));
   * ```
   */
  to(backend: Backend | undefined): Tensor {
    if (backend === this.backend) return this;
    const copy = allocate(this.size, backend);
    copy.set(this.data);
    return new Tensor(copy, this.shape, backend);
  }

  /**
   * Places this tensor on `backend` (`undefined`: ordinary memory) in place: its values move to a new array there and
   * {@link Tensor.data} is replaced, so every holder of this tensor object sees the move. This is how a model moves its
   * parameters (PyTorch's `module.to(device)` replaces its parameters' storage the same way). Views made before the
   * move (`reshape`, `rows`) keep the old array: make them again after it.
   * @returns this tensor
   */
  moveTo(backend: Backend | undefined): this {
    if (backend === this.backend) return this;
    const moved = allocate(this.size, backend);
    moved.set(this.data);
    const self = this as { data: Float32Array; backend: Backend | undefined };
    self.data = moved;
    self.backend = backend;
    return this;
  }

  /** Sets every element to `value` and returns this tensor. */
  fill(value: number): this {
    // A placed tensor is filled by its backend's kernel (in place in the backend's memory, where a JavaScript fill of
    // shared memory is several times slower); ordinary memory by the engine's own fill, which nothing beats, and which
    // needs no backend: creating a layer must not start one.
    if (this.backend === undefined) this.data.fill(value);
    else this.backend.fill(this.size, value, this.data);
    return this;
  }

  /**
   * Reads one element by its indices, one per dimension.
   * @throws {@link ShapeError} when the number of indices or any index is out of range
   */
  get(...indices: number[]): number {
    return this.data[this.offsetOf('get', indices)] as number;
  }

  /** Writes one element by its indices, one per dimension, and returns this tensor. */
  set(value: number, ...indices: number[]): this {
    this.data[this.offsetOf('set', indices)] = value;
    return this;
  }

  /** The values as nested arrays (a plain number for a scalar). */
  toArray(): NestedArray {
    let i = 0;
    const build = (depth: number): NestedArray => {
      if (depth === this.shape.length) return this.data[i++] as number;
      const dim = this.shape[depth] as number;
      const out: NestedArray[] = new Array(dim);
      for (let j = 0; j < dim; j++) out[j] = build(depth + 1);
      return out;
    };
    return build(0);
  }

  /** Whether `other` has the same shape and bit-for-bit equal values (NaN equals NaN). See `allClose` for tolerances. */
  equals(other: Tensor): boolean {
    if (this.shape.length !== other.shape.length || this.shape.some((d, i) => d !== other.shape[i])) return false;
    for (let i = 0; i < this.size; i++) {
      if (!Object.is(this.data[i], other.data[i])) return false;
    }
    return true;
  }

  /** A short description for logs: `Tensor [2, 3] [1, 2, 3, 4, 5, 6]`, eliding values past the first eight. */
  toString(): string {
    const shown = Array.from(this.data.subarray(0, 8), (v) => String(v));
    if (this.size > 8) shown.push('…');
    return `Tensor ${formatShape(this.shape)} [${shown.join(', ')}]`;
  }

  private offsetOf(op: string, indices: readonly number[]): number {
    if (indices.length !== this.rank) {
      throw new ShapeError(
        op,
        `expected ${this.rank} indices for shape ${formatShape(this.shape)}, found ${indices.length}`,
      );
    }
    let offset = 0;
    for (let d = 0; d < indices.length; d++) {
      const index = indices[d] as number;
      const dim = this.shape[d] as number;
      if (!Number.isInteger(index) || index < 0 || index >= dim) {
        throw new ShapeError(
          op,
          `index ${index} is out of range for dimension ${d} of shape ${formatShape(this.shape)}`,
        );
      }
      offset = offset * dim + index;
    }
    return offset;
  }
}

/** `length` zeros in `backend`'s own memory when it has one, else an ordinary array. */
function allocate(length: number, backend: Backend | undefined): Float32Array {
  return backend?.allocate?.(length) ?? new Float32Array(length);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'object';
  return typeof value;
}
