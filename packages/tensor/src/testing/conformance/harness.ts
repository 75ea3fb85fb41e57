import type { Backend } from '../../backend/backend.js';
import { maxAbsDiff } from '../../compare.js';
import { Random } from '../../random.js';
import type { ConformanceCase, ConformanceOptions } from '../conformance.js';

/** Array lengths of the elementwise cases: empty, one, odd lengths that fit no vector width, and a long array. */
export const LENGTHS: readonly number[] = [0, 1, 7, 33, 1000];

/** A kernel run on `data` in place, by name, for {@link CaseList.compareInPlace}. */
export type InPlaceRun = readonly [name: string, run: (kernels: Backend, data: Float32Array) => void];

/** {@link ConformanceOptions} with the defaults applied: only `allocate` may be missing. */
export type ResolvedOptions = Required<Omit<ConformanceOptions, 'allocate'>> & Pick<ConformanceOptions, 'allocate'>;

/**
 * The cases of one conformance run as they are built: each family of kernels appends its own with {@link CaseList.add}
 * and checks outputs against the reference with the `compare…` methods.
 */
export class CaseList {
  /** The cases added so far, in order. */
  readonly cases: ConformanceCase[] = [];
  /** The backend under test. */
  readonly backend: Backend;
  /** The backend results are compared with. */
  readonly reference: Backend;
  /** Relative tolerance of elementwise and row-wise kernels against the reference. */
  readonly rtol: number;
  private readonly seed: number;
  private readonly allocate: ((length: number) => Float32Array) | undefined;

  /**
   * @param backend - the backend under test
   * @param options - the suite's options, with their defaults applied
   */
  constructor(backend: Backend, options: ResolvedOptions) {
    this.backend = backend;
    this.reference = options.reference;
    this.rtol = options.rtol;
    this.seed = options.seed;
    this.allocate = options.allocate;
  }

  /** Appends a case named `name` (prefixed with the backend's name); `run` gets a generator seeded for this case. */
  add(name: string, run: (rng: Random) => void): void {
    const index = this.cases.length;
    const allocate = this.allocate;
    this.cases.push({
      name: `${this.backend.name}: ${name}`,
      run: () => {
        arrays = allocate ?? plainArray;
        try {
          run(new Random(this.seed + index));
        } finally {
          arrays = plainArray;
        }
      },
    });
  }

  /**
   * Runs `run` with the reference and then with the backend, each on a fresh `n`-float output framed by guard cells,
   * and compares the two: within `rtol` inside the output, untouched outside it. `isReference` tells the two runs apart where the backend under
   * test is the reference itself.
   */
  compare(
    what: string,
    rtol: number,
    n: number,
    run: (kernels: Backend, out: Float32Array, isReference: boolean) => void,
  ): void {
    compareOutputs(what, rtol, n, (isReference, out) =>
      run(isReference ? this.reference : this.backend, out, isReference),
    );
  }

  /**
   * Compares a kernel that updates several arrays in place (an optimizer step), named `names`, starting from
   * `initial`. It runs once per array: that array is the framed output and the others are fresh copies, so every array
   * is compared and guarded against stray writes.
   */
  compareUpdate(
    names: readonly string[],
    initial: readonly Float32Array[],
    run: (kernels: Backend, arrays: Float32Array[]) => void,
  ): void {
    names.forEach((name, j) => {
      this.compare(name, this.rtol, initial[j].length, (kernels, out) => {
        out.set(initial[j]);
        run(
          kernels,
          initial.map((a, k) => (k === j ? out : a.slice())),
        );
      });
    });
  }

  /**
   * Runs each kernel of `runs` in place on a copy of `x`, on the reference and on the backend, and checks that the
   * results agree within `10·rtol`: a kernel that reads an input after writing its output over it fails.
   */
  compareInPlace(x: Float32Array, runs: readonly InPlaceRun[]): void {
    for (const [name, run] of runs) {
      const expected = x.slice();
      run(this.reference, expected);
      const actual = x.slice();
      run(this.backend, actual);
      const diff = maxAbsDiff(actual, expected);
      if (!(diff <= this.rtol * 10)) throw new Error(`${name} in place differs from the reference by ${diff}`);
    }
  }
}

/** Guard cells on each side of every output: a kernel that writes outside its window changes them. */
const GUARD = 5;
const SENTINEL = -12345.5;

/**
 * Runs the reference and the backend on fresh outputs framed by sentinels and compares: within `rtol` (relative, with
 * an absolute floor of `rtol` too) inside the window, untouched outside it.
 */
function compareOutputs(what: string, rtol: number, n: number, run: (reference: boolean, out: Float32Array) => void) {
  const expected = framed(n);
  const actual = framed(n);
  run(true, expected.subarray(GUARD, GUARD + n));
  run(false, actual.subarray(GUARD, GUARD + n));
  for (let i = 0; i < actual.length; i++) {
    const inside = i >= GUARD && i < GUARD + n;
    const x = actual[i];
    const y = expected[i];
    if (!inside && x !== SENTINEL) throw new Error(`${what}: wrote ${x} at ${i - GUARD}, outside its ${n} elements`);
    const close = x === y || (Number.isNaN(x) && Number.isNaN(y)) || Math.abs(x - y) <= rtol * (1 + Math.abs(y));
    if (!close) throw new Error(`${what}[${i - GUARD}] is ${x}, expected ${y} (rtol ${rtol})`);
  }
}

const plainArray = (length: number): Float32Array => new Float32Array(length);
// Where the running case's arrays come from (see `ConformanceOptions.allocate`). Module state rather than a parameter:
// the helpers below are called deep inside every case, and `CaseList.add` sets it for exactly one synchronous run.
let arrays: (length: number) => Float32Array = plainArray;

function framed(n: number): Float32Array {
  return arrays(n + 2 * GUARD).fill(SENTINEL);
}

/**
 * `n` floats drawn uniformly from `(−spread, spread)`, each moved `awayFromZero` further from 0 (a divisor that must
 * not be tiny), in the running case's memory.
 */
export function random(rng: Random, n: number, awayFromZero = 0, spread = 1): Float32Array {
  const out = arrays(n);
  for (let i = 0; i < n; i++) {
    const v = rng.uniform(-spread, spread);
    out[i] = v < 0 ? v - awayFromZero : v + awayFromZero;
  }
  return out;
}

/** `values` as floats in the running case's memory. */
export function f32(values: readonly number[]): Float32Array {
  const out = arrays(values.length);
  out.set(values);
  return out;
}

/** Throws unless `actual` holds exactly `expected` (NaN matching NaN); `what` names the array in the message. */
export function expectExact(what: string, actual: ArrayLike<number>, expected: readonly number[]): void {
  if (actual.length !== expected.length || maxAbsDiff(actual, expected) !== 0) {
    throw new Error(`${what} is [${Array.from(actual).join(', ')}], expected [${expected.join(', ')}]`);
  }
}
