import { type CaseList, expectExact, f32, LENGTHS, random } from './harness.js';

/**
 * Adds the cases of the elementwise kernels: arithmetic (`add` … `fill`, `axpy`, `clamp`), the activations and their
 * backward passes, and `dropoutMask`; by hand, on random arrays of every length in {@link LENGTHS} against the
 * reference, and in place (`out === x`) together with the row-wise kernels that must allow it too.
 */
export function addElementwiseCases(list: CaseList): void {
  for (const n of LENGTHS) addRandomCases(list, n);
  addHandArithmeticCases(list);
  addHandActivationCases(list);
  addInPlaceCase(list);
}

function addRandomCases(list: CaseList, n: number): void {
  const { rtol } = list;
  for (const kernel of ['add', 'sub', 'mul', 'div'] as const) {
    list.add(`${kernel} n=${n}`, (rng) => {
      const a = random(rng, n);
      const b = random(rng, n, kernel === 'div' ? 0.5 : 0);
      list.compare(`${kernel} out`, rtol, n, (k, out) => k[kernel](n, a, b, out));
    });
  }
  list.add(`scale, addScalar, fill n=${n}`, (rng) => {
    const x = random(rng, n);
    list.compare('scale out', rtol, n, (k, out) => k.scale(n, -1.5, x, out));
    list.compare('addScalar out', rtol, n, (k, out) => k.addScalar(n, 0.25, x, out));
    list.compare('fill out', 0, n, (k, out) => k.fill(n, 3, out));
    list.compare('clamp out', 0, n, (k, out) => k.clamp(n, -0.5, 0.25, x, out));
  });
  list.add(`axpy n=${n}`, (rng) => {
    const x = random(rng, n);
    const y = random(rng, n);
    list.compare('y', rtol, n, (k, out) => {
      out.set(y);
      k.axpy(n, 0.75, x, out);
    });
  });
  list.add(`relu, reluBackward n=${n}`, (rng) => {
    const x = random(rng, n);
    const dy = random(rng, n);
    list.compare('relu out', 0, n, (k, out) => k.relu(n, x, out));
    list.compare('dx', 0, n, (k, out) => k.reluBackward(n, x, dy, out));
  });
  list.add(`sigmoid, tanh, gelu and their backward passes n=${n}`, (rng) => {
    const x = random(rng, n, 0, 6);
    const y = random(rng, n);
    const dy = random(rng, n);
    for (const kernel of ['sigmoid', 'tanh', 'gelu'] as const) {
      list.compare(`${kernel} out`, rtol, n, (k, out) => k[kernel](n, x, out));
    }
    // sigmoid and tanh differentiate from their output, gelu from its input.
    list.compare('sigmoidBackward dx', rtol, n, (k, out) => k.sigmoidBackward(n, y, dy, out));
    list.compare('tanhBackward dx', rtol, n, (k, out) => k.tanhBackward(n, y, dy, out));
    list.compare('geluBackward dx', rtol, n, (k, out) => k.geluBackward(n, x, dy, out));
  });
  list.add(`leakyRelu, leakyReluBackward n=${n}`, (rng) => {
    const x = random(rng, n);
    const dy = random(rng, n);
    list.compare('leakyRelu out', rtol, n, (k, out) => k.leakyRelu(n, 0.01, x, out));
    list.compare('dx', rtol, n, (k, out) => k.leakyReluBackward(n, 0.2, x, dy, out));
  });
  list.add(`dropoutMask n=${n}`, (rng) => {
    const u = random(rng, n).map(Math.abs);
    list.compare('mask', 0, n, (k, out) => k.dropoutMask(n, 0.3, u, out));
  });
}

function addHandArithmeticCases(list: CaseList): void {
  const { backend } = list;
  // a = [1, −2, 3], b = [4, 0.5, −2]: every result is exact in float32.
  list.add('add, sub, mul, div, scale, addScalar, axpy, fill by hand', () => {
    const [a, b] = [f32([1, -2, 3]), f32([4, 0.5, -2])];
    const out = new Float32Array(3);
    backend.add(3, a, b, out);
    expectExact('add', out, [5, -1.5, 1]);
    backend.sub(3, a, b, out);
    expectExact('sub', out, [-3, -2.5, 5]);
    backend.mul(3, a, b, out);
    expectExact('mul', out, [4, -1, -6]);
    backend.div(3, a, b, out);
    expectExact('div', out, [0.25, -4, -1.5]);
    backend.scale(3, -2, a, out);
    expectExact('scale', out, [-2, 4, -6]);
    backend.addScalar(3, 0.5, a, out);
    expectExact('addScalar', out, [1.5, -1.5, 3.5]);
    // y = b + 2·a, in place on y.
    const y = f32([4, 0.5, -2]);
    backend.axpy(3, 2, a, y);
    expectExact('axpy', y, [6, -3.5, 4]);
    backend.fill(3, 3, out);
    expectExact('fill', out, [3, 3, 3]);
  });
  list.add('clamp by hand', () => {
    const out = new Float32Array(4);
    backend.clamp(4, -1, 1, f32([-3, 0.5, 2, Number.NaN]), out);
    expectExact('clamp', out, [-1, 0.5, 1, Number.NaN]);
  });
}

function addHandActivationCases(list: CaseList): void {
  const { backend } = list;
  list.add('sigmoid, tanh, gelu by hand, saturating without overflow', () => {
    const x = f32([0, 1000, -1000, Number.NaN]);
    const out = new Float32Array(4);
    backend.sigmoid(4, x, out);
    expectExact('sigmoid', out, [0.5, 1, 0, Number.NaN]);
    backend.tanh(4, x, out);
    expectExact('tanh', out, [0, 1, -1, Number.NaN]);
    backend.gelu(4, x, out);
    expectExact('gelu', out, [0, 1000, 0, Number.NaN]);
    // gelu(1) = ½·(1 + tanh(√(2/π)·1.044715)) = 0.8411920…, the tanh approximation of Φ's 0.8413447…
    backend.gelu(1, f32([1]), out);
    if (!(Math.abs(out[0] - 0.841192) < 1e-6)) throw new Error(`gelu(1) is ${out[0]}, expected 0.841192`);
  });
  list.add('sigmoidBackward, tanhBackward, geluBackward by hand', () => {
    const dx = new Float32Array(2);
    // y = [0.5, 0.25], dy = [4, 8]: dy·y·(1 − y) = [4·0.25, 8·0.1875]
    backend.sigmoidBackward(2, f32([0.5, 0.25]), f32([4, 8]), dx);
    expectExact('sigmoid dx', dx, [1, 1.5]);
    // y = [0.5, −0.5], dy = [4, 2]: dy·(1 − y²) = [4·0.75, 2·0.75]
    backend.tanhBackward(2, f32([0.5, -0.5]), f32([4, 2]), dx);
    expectExact('tanh dx', dx, [3, 1.5]);
    // At x = 0, t = 0 and the second term vanishes: dx = dy/2. Far out, gelu is x (slope 1) or 0 (slope 0).
    const three = new Float32Array(3);
    backend.geluBackward(3, f32([0, 1000, -1000]), f32([2, 3, 4]), three);
    expectExact('gelu dx', three, [1, 3, 0]);
  });
  list.add('leakyRelu, leakyReluBackward, dropoutMask by hand', () => {
    const out = new Float32Array(4);
    backend.leakyRelu(4, 0.25, f32([-4, 0, 2, Number.NaN]), out);
    expectExact('leakyRelu', out, [-1, 0, 2, Number.NaN]);
    // The subgradient at 0 is the slope's side, as relu takes 0 there.
    backend.leakyReluBackward(4, 0.25, f32([-4, 0, 2, 1]), f32([4, 4, 4, -8]), out);
    expectExact('dx', out, [1, 1, 4, -8]);
    // Drop where u < rate; keep the rest scaled by 1/(1 − 0.5) = 2.
    backend.dropoutMask(4, 0.5, f32([0.1, 0.5, 0.7, 0.49]), out);
    expectExact('mask', out, [0, 2, 2, 0]);
    backend.dropoutMask(4, 0, f32([0, 0.5, 0.7, 0.99]), out);
    expectExact('mask with rate 0', out, [1, 1, 1, 1]);
  });
  list.add('relu keeps NaN', () => {
    const out = new Float32Array(1);
    backend.relu(1, f32([Number.NaN]), out);
    if (!Number.isNaN(out[0])) throw new Error(`relu(NaN) is ${out[0]}; a diverging network must not be hidden`);
  });
  list.add('relu by hand', () => {
    const out = new Float32Array(3);
    backend.relu(3, f32([-1, 0, 2]), out);
    expectExact('relu', out, [0, 0, 2]);
    backend.reluBackward(3, f32([-1, 0, 2]), f32([5, 6, 7]), out);
    expectExact('dx', out, [0, 0, 7]);
  });
}

function addInPlaceCase(list: CaseList): void {
  list.add('elementwise and row-wise kernels run in place (out === x)', (rng) => {
    const rows = 5;
    const cols = 7;
    const n = rows * cols;
    const x = random(rng, n);
    const b = random(rng, n, 0.5);
    const v = random(rng, cols);
    list.compareInPlace(x, [
      ['add', (k, d) => k.add(n, d, b, d)],
      ['sub', (k, d) => k.sub(n, d, b, d)],
      ['mul', (k, d) => k.mul(n, d, b, d)],
      ['div', (k, d) => k.div(n, d, b, d)],
      ['scale', (k, d) => k.scale(n, 3, d, d)],
      ['addScalar', (k, d) => k.addScalar(n, 3, d, d)],
      ['clamp', (k, d) => k.clamp(n, -0.5, 0.5, d, d)],
      ['relu', (k, d) => k.relu(n, d, d)],
      ['reluBackward', (k, d) => k.reluBackward(n, x, d, d)],
      ['sigmoid', (k, d) => k.sigmoid(n, d, d)],
      ['sigmoidBackward', (k, d) => k.sigmoidBackward(n, b, d, d)],
      ['tanh', (k, d) => k.tanh(n, d, d)],
      ['tanhBackward', (k, d) => k.tanhBackward(n, b, d, d)],
      ['leakyRelu', (k, d) => k.leakyRelu(n, 0.1, d, d)],
      ['leakyReluBackward', (k, d) => k.leakyReluBackward(n, 0.1, x, d, d)],
      ['gelu', (k, d) => k.gelu(n, d, d)],
      ['geluBackward', (k, d) => k.geluBackward(n, x, d, d)],
      ['dropoutMask', (k, d) => k.dropoutMask(n, 0.5, d, d)],
      ['addRowVector', (k, d) => k.addRowVector(rows, cols, d, v, d)],
      ['softmaxRows', (k, d) => k.softmaxRows(rows, cols, d, d)],
      ['softmaxRowsBackward', (k, d) => k.softmaxRowsBackward(rows, cols, b, d, d)],
    ]);
  });
}
