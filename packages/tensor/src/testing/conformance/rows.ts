import { type CaseList, expectExact, f32, random } from './harness.js';

/**
 * Adds the cases of the row-wise kernels (`addRowVector`, `transpose`, `softmaxRows`, `softmaxRowsBackward`,
 * `gatherRows`, `gatherBytes`, `oneHot`), the reductions (`sumAxis`, `maxAxis`, `argmaxAxis`) and the kernels that
 * return a number (`dot`, `crossEntropySum`): by hand, then on random matrices against the reference, including
 * single rows, single columns and empty matrices.
 */
export function addRowCases(list: CaseList): void {
  addRandomRowCases(list);
  addHandRowCases(list);
  addGatherCases(list);
  addReductionCases(list);
  addSumCases(list);
  addOneHotCases(list);
}

function addRandomRowCases(list: CaseList): void {
  const { rtol } = list;
  for (const [rows, cols] of [
    [1, 1],
    [1, 9],
    [9, 1],
    [5, 7],
    [33, 65],
    [64, 131],
    [0, 4],
  ] as const) {
    list.add(`addRowVector ${rows}×${cols}`, (rng) => {
      const x = random(rng, rows * cols);
      const v = random(rng, cols);
      list.compare('out', rtol, rows * cols, (k, out) => k.addRowVector(rows, cols, x, v, out));
    });
    list.add(`transpose ${rows}×${cols}`, (rng) => {
      const x = random(rng, rows * cols);
      list.compare('out', 0, rows * cols, (k, out) => k.transpose(rows, cols, x, out));
    });
    list.add(`softmaxRows ${rows}×${cols}`, (rng) => {
      const x = random(rng, rows * cols, 0, 20);
      list.compare('out', rtol, rows * cols, (k, out) => k.softmaxRows(rows, cols, x, out));
    });
  }
  for (const [rows, cols] of [
    [1, 1],
    [3, 10],
    [17, 5],
    [0, 3],
  ] as const) {
    list.add(`softmaxRowsBackward ${rows}×${cols}`, (rng) => {
      const y = new Float32Array(rows * cols);
      list.reference.softmaxRows(rows, cols, random(rng, rows * cols, 0, 3), y);
      const dy = random(rng, rows * cols);
      list.compare('dx', rtol, rows * cols, (k, out) => k.softmaxRowsBackward(rows, cols, y, dy, out));
    });
    list.add(`gatherRows ${rows}×${cols}`, (rng) => {
      const x = random(rng, 7 * cols);
      const indices = Int32Array.from({ length: rows }, () => rng.int(7));
      list.compare('out', 0, rows * cols, (k, out) => k.gatherRows(rows, cols, indices, x, out));
    });
  }
}

function addHandRowCases(list: CaseList): void {
  const { backend } = list;
  list.add('softmaxRows by hand, and without overflow', () => {
    const out = new Float32Array(4);
    backend.softmaxRows(2, 2, f32([0, 0, 1000, -1000]), out);
    expectExact('softmax', out, [0.5, 0.5, 1, 0]);
  });
  list.add('softmaxRowsBackward by hand', () => {
    // y = [0.25, 0.75], dy = [1, 0]: ⟨dy, y⟩ = 0.25, dx = [0.25·0.75, 0.75·(−0.25)].
    const dx = new Float32Array(2);
    backend.softmaxRowsBackward(1, 2, f32([0.25, 0.75]), f32([1, 0]), dx);
    expectExact('dx', dx, [0.1875, -0.1875]);
  });
  list.add('addRowVector, sumAxis by hand', () => {
    const out = new Float32Array(4);
    backend.addRowVector(2, 2, f32([1, 2, 3, 4]), f32([10, 20]), out);
    expectExact('addRowVector', out, [11, 22, 13, 24]);
    const sums = new Float32Array(2);
    backend.sumAxis(1, 2, 2, f32([1, 2, 3, 4]), sums);
    expectExact('column sums', sums, [4, 6]);
  });
  // [[1, 2, 3], [4, 5, 6]]ᵀ = [[1, 4], [2, 5], [3, 6]]; the rows of [[1, 2], [3, 4], [5, 6]] in the order 2, 0, 2.
  list.add('transpose, gatherRows by hand', () => {
    const out = new Float32Array(6);
    backend.transpose(2, 3, f32([1, 2, 3, 4, 5, 6]), out);
    expectExact('transpose', out, [1, 4, 2, 5, 3, 6]);
    backend.gatherRows(3, 2, [2, 0, 2], f32([1, 2, 3, 4, 5, 6]), out);
    expectExact('gatherRows', out, [5, 6, 1, 2, 5, 6]);
  });
}

function addGatherCases(list: CaseList): void {
  for (const [rows, cols, divisor] of [
    [1, 1, 255],
    [3, 10, 255],
    [17, 33, 7],
    [0, 3, 255],
    [5, 64, 0.1],
    [9, 40, 0], // infinite quotients and 0 / 0
    [64, 784, 255],
    // Past the staging threshold, so a backend's vector path runs: a divisor whose quotients round in both
    // directions, a negative one, one that is subnormal as a float32 (quotients overflow to ∞) and one that is ∞ as
    // a float32 (quotients 0); 7 × 37 values leave a tail after the vectors.
    [9, 40, 1 / 3],
    [9, 40, -7.5],
    [9, 40, 1e-40],
    [9, 40, 1e39],
    [7, 37, 255],
  ] as const) {
    list.add(`gatherBytes ${rows}×${cols} ÷ ${divisor}`, (rng) => {
      const bytes = Uint8Array.from({ length: 9 * cols }, () => rng.int(256));
      const indices = Int32Array.from({ length: rows }, () => rng.int(9));
      list.compare('out', 0, rows * cols, (k, out) => k.gatherBytes(rows, cols, indices, bytes, divisor, out));
    });
  }
  list.add('gatherBytes by hand', () => {
    const out = f32([9, 9, 9, 9, 9, 9]);
    list.backend.gatherBytes(2, 3, [1, 0], Uint8Array.of(0, 51, 255, 1, 2, 3), 255, out);
    expectExact('out', out, [1 / 255, 2 / 255, 3 / 255, 0, 0.2, 1].map(Math.fround));
  });
}

function addReductionCases(list: CaseList): void {
  const { backend, reference, rtol } = list;
  for (const [outer, size, inner] of [
    [1, 1, 1],
    [1, 9, 1],
    [7, 5, 1],
    [1, 13, 6],
    [3, 4, 5],
    [1, 64, 130],
    [3, 50, 7],
  ] as const) {
    const n = outer * size * inner;
    list.add(`sumAxis, maxAxis, argmaxAxis [${outer}, ${size}, ${inner}]`, (rng) => {
      const x = random(rng, n);
      list.compare('sum', rtol, outer * inner, (k, out) => k.sumAxis(outer, size, inner, x, out));
      list.compare('max', 0, outer * inner, (k, out) => k.maxAxis(outer, size, inner, x, out));
      const expected = new Int32Array(outer * inner);
      const actual = new Int32Array(outer * inner);
      reference.argmaxAxis(outer, size, inner, x, expected);
      backend.argmaxAxis(outer, size, inner, x, actual);
      expectExact('argmax', actual, Array.from(expected));
    });
  }
  list.add('argmaxAxis: the first maximum wins; NaN is the maximum', () => {
    const out = new Int32Array(2);
    backend.argmaxAxis(2, 3, 1, f32([1, 5, 5, Number.NaN, 9, 1]), out);
    expectExact('argmax', out, [1, 0]);
  });
  // [2, 2, 2] = [[[1, 2], [3, 4]], [[5, −6], [7, −8]]]: each of the two outer blocks reduces its two rows.
  list.add('sumAxis, maxAxis by hand over [2, 2, 2]; maxAxis propagates NaN', () => {
    const x = f32([1, 2, 3, 4, 5, -6, 7, -8]);
    const out = new Float32Array(4);
    backend.sumAxis(2, 2, 2, x, out);
    expectExact('sum', out, [4, 6, 12, -14]);
    backend.maxAxis(2, 2, 2, x, out);
    expectExact('max', out, [3, 4, 7, -6]);
    // A NaN first or later in its row: the maximum is NaN, so a diverging network is not hidden.
    backend.maxAxis(2, 3, 1, f32([Number.NaN, 1, 2, 1, Number.NaN, 2]), out);
    expectExact('max with NaN', out.subarray(0, 2), [Number.NaN, Number.NaN]);
  });
}

function addSumCases(list: CaseList): void {
  const { backend, reference, rtol } = list;
  list.add('dot and crossEntropySum by hand', () => {
    const dot = backend.dot(3, f32([1, 2, 3]), f32([4, -5, 6]));
    if (dot !== 12) throw new Error(`dot is ${dot}, expected 12`);
    // −(1·ln 0.5 + 0·ln 0) = ln 2; a zero probability with a non-zero target costs −ln 1e-30, not infinity.
    const ce = backend.crossEntropySum(2, f32([0.5, 0]), f32([1, 0]));
    if (Math.abs(ce - Math.LN2) > 1e-7) throw new Error(`crossEntropySum is ${ce}, expected ln 2`);
    const clamped = backend.crossEntropySum(1, f32([0]), f32([1]));
    if (!(Math.abs(clamped - 30 * Math.LN10) < 1e-6))
      throw new Error(`crossEntropySum of p = 0 is ${clamped}, expected 69.08`);
  });
  for (const n of [0, 1, 9, 1000]) {
    list.add(`dot, crossEntropySum n=${n}`, (rng) => {
      const x = random(rng, n);
      const y = random(rng, n);
      const p = random(rng, n).map(Math.abs);
      for (const [what, actual, expected] of [
        ['dot', backend.dot(n, x, y), reference.dot(n, x, y)],
        [
          'crossEntropySum',
          backend.crossEntropySum(n, p, y.map(Math.abs)),
          reference.crossEntropySum(n, p, y.map(Math.abs)),
        ],
      ] as const) {
        if (!(Math.abs(actual - expected) <= rtol * (1 + Math.abs(expected)) * Math.max(1, n))) {
          throw new Error(`${what} is ${actual}, expected ${expected}`);
        }
      }
    });
  }
}

function addOneHotCases(list: CaseList): void {
  list.add('oneHot', () => {
    const out = f32([9, 9, 9, 9, 9, 9]);
    list.backend.oneHot(2, 3, new Uint8Array([2, 0]), out);
    expectExact('oneHot', out, [0, 0, 1, 1, 0, 0]);
  });
  for (const [n, classes] of [
    [1, 1],
    [7, 10],
    [64, 10],
    [5, 33],
    [0, 3],
  ] as const) {
    list.add(`oneHot ${n}×${classes}`, (rng) => {
      const labels = Uint8Array.from({ length: n }, () => rng.int(classes));
      list.compare('out', 0, n * classes, (k, out) => {
        // Stale values in the output: every entry that is not a label's must be cleared.
        out.fill(7);
        k.oneHot(n, classes, labels, out);
      });
    });
  }
}
