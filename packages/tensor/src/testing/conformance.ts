import type { Backend } from '../backend/backend.js';
import { jsBackend } from '../backend/js/index.js';
import { maxAbsDiff } from '../compare.js';
import { Random } from '../random.js';

/** One named check of a backend; `run` throws an `Error` describing the first mismatch. */
export interface ConformanceCase {
  /** What is checked, such as `gemm NT 33×17×65 α=0.5 β=1`. */
  readonly name: string;
  /** Runs the check; throws on failure. */
  run(): void;
}

/** Options of {@link backendConformanceCases}. */
export interface ConformanceOptions {
  /** The backend results are compared with. Default: the reference {@link jsBackend}. */
  reference?: Backend;
  /** Seed of the random inputs. Default 1. */
  seed?: number;
  /**
   * Relative tolerance of elementwise and row-wise kernels against the reference. Default `1e-6`; a backend with
   * approximate `exp` may need more.
   */
  rtol?: number;
  /**
   * Where the suite's arrays live: pass a backend's own `allocate` to check the paths it takes for arrays in its own
   * memory (the `wasm-simd` backend runs on those in place). Default: ordinary `Float32Array`s.
   */
  allocate?: (length: number) => Float32Array;
}

/** The outcome of {@link checkBackendConformance}. */
export interface ConformanceReport {
  /** Names of the cases that passed. */
  passed: string[];
  /** Cases that failed, with the error each threw. */
  failed: { name: string; error: Error }[];
}

/**
 * The backend conformance suite, as a list of cases any test runner can run:
 *
 * ```ts
 * import { backendConformanceCases } from '@mnist/tensor/testing';
 * for (const c of backendConformanceCases(myBackend)) it(c.name, c.run);
 * ```
 *
 * Every kernel is checked on hand-computed cases, then on seeded random inputs against the reference backend
 * (gemm against a float64 product with a bound that scales with the depth `k`), including odd sizes that fit no tile,
 * `1×N`, `N×1` and empty shapes. Each case also checks that the kernel writes nothing outside its output window.
 */
export function backendConformanceCases(backend: Backend, options: ConformanceOptions = {}): ConformanceCase[] {
  const reference = options.reference ?? jsBackend;
  const rtol = options.rtol ?? 1e-6;
  const seed = options.seed ?? 1;
  const cases: ConformanceCase[] = [];
  const allocate = options.allocate;
  const add = (name: string, run: (rng: Random) => void) => {
    const index = cases.length;
    cases.push({
      name: `${backend.name}: ${name}`,
      run: () => {
        arrays = allocate ?? plainArray;
        try {
          run(new Random(seed + index));
        } finally {
          arrays = plainArray;
        }
      },
    });
  };
  // A kernel that updates several arrays in place (an optimizer step) is run once per array: that array is the framed
  // output and the others are fresh copies, so every array is compared and guarded against stray writes.
  const compareUpdate = (
    names: readonly string[],
    initial: readonly Float32Array[],
    run: (kernels: Backend, arrays: Float32Array[]) => void,
  ) => {
    names.forEach((name, j) => {
      compareOutputs(name, rtol, initial[j].length, (ref, out) => {
        out.set(initial[j]);
        run(
          ref ? reference : backend,
          initial.map((a, k) => (k === j ? out : a.slice())),
        );
      });
    });
  };

  // Hand-checked: [[1, 2, 3], [4, 5, 6]]·[[7, 8], [9, 10], [11, 12]] = [[58, 64], [139, 154]].
  add('gemm by hand, 2×3·3×2', () => {
    const c = new Float32Array(4);
    backend.gemm(false, false, 2, 2, 3, 1, f32([1, 2, 3, 4, 5, 6]), 0, 3, f32([7, 8, 9, 10, 11, 12]), 0, 2, 0, c, 0, 2);
    expectExact('C', c, [58, 64, 139, 154]);
    // The same operands stored transposed, with α = 2 and β = 1 over C: C = 2·AB + C.
    backend.gemm(true, true, 2, 2, 3, 2, f32([1, 4, 2, 5, 3, 6]), 0, 2, f32([7, 9, 11, 8, 10, 12]), 0, 3, 1, c, 0, 2);
    expectExact('C', c, [174, 192, 417, 462]);
  });
  add('gemm with β = 0 never reads C', () => {
    const c = f32([Number.NaN, Number.NaN]);
    backend.gemm(false, false, 1, 2, 1, 1, f32([2]), 0, 1, f32([3, 4]), 0, 2, 0, c, 0, 2);
    expectExact('C', c, [6, 8]);
  });
  add('gemm with k = 0 scales C by β', () => {
    const c = f32([1, 2, 3, 4]);
    backend.gemm(false, false, 2, 2, 0, 1, new Float32Array(0), 0, 0, new Float32Array(0), 0, 2, 0.5, c, 0, 2);
    expectExact('C', c, [0.5, 1, 1.5, 2]);
  });

  const gemmShapes: [number, number, number][] = [
    [1, 1, 1],
    [1, 37, 5],
    [37, 1, 5],
    [5, 7, 1],
    [3, 5, 7],
    [13, 17, 19],
    [64, 10, 64],
    [64, 128, 300],
    [33, 129, 17],
    [4, 4, 257],
    // Deep and narrow: the wasm-simd backend computes these as two halves of the depth, added.
    [9, 13, 600],
    [1, 3, 1031],
    [0, 5, 3],
    [5, 0, 3],
  ];
  for (const [m, n, k] of gemmShapes) {
    for (const [transA, transB] of [
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ] as const) {
      for (const [alpha, beta] of [
        [1, 0],
        [0.5, 1],
        [-2, 0.25],
      ] as const) {
        const form = `${transA ? 'T' : 'N'}${transB ? 'T' : 'N'}`;
        add(`gemm ${form} ${m}×${n}×${k} α=${alpha} β=${beta}`, (rng) =>
          checkGemm(backend, rng, transA, transB, m, n, k, alpha, beta),
        );
      }
    }
  }

  for (const n of [0, 1, 7, 33, 1000]) {
    for (const kernel of ['add', 'sub', 'mul', 'div'] as const) {
      add(`${kernel} n=${n}`, (rng) => {
        const a = random(rng, n);
        const b = random(rng, n, kernel === 'div' ? 0.5 : 0);
        compareOutputs(`${kernel} out`, rtol, n, (ref, out) => (ref ? reference : backend)[kernel](n, a, b, out));
      });
    }
    add(`scale, addScalar, fill n=${n}`, (rng) => {
      const x = random(rng, n);
      compareOutputs('scale out', rtol, n, (ref, out) => (ref ? reference : backend).scale(n, -1.5, x, out));
      compareOutputs('addScalar out', rtol, n, (ref, out) => (ref ? reference : backend).addScalar(n, 0.25, x, out));
      compareOutputs('fill out', 0, n, (ref, out) => (ref ? reference : backend).fill(n, 3, out));
      compareOutputs('clamp out', 0, n, (ref, out) => (ref ? reference : backend).clamp(n, -0.5, 0.25, x, out));
    });
    add(`axpy n=${n}`, (rng) => {
      const x = random(rng, n);
      const y = random(rng, n);
      compareOutputs('y', rtol, n, (ref, out) => {
        out.set(y);
        (ref ? reference : backend).axpy(n, 0.75, x, out);
      });
    });
    add(`relu, reluBackward n=${n}`, (rng) => {
      const x = random(rng, n);
      const dy = random(rng, n);
      compareOutputs('relu out', 0, n, (ref, out) => (ref ? reference : backend).relu(n, x, out));
      compareOutputs('dx', 0, n, (ref, out) => (ref ? reference : backend).reluBackward(n, x, dy, out));
    });
    add(`sigmoid, tanh, gelu and their backward passes n=${n}`, (rng) => {
      const x = random(rng, n, 0, 6);
      const y = random(rng, n);
      const dy = random(rng, n);
      for (const kernel of ['sigmoid', 'tanh', 'gelu'] as const) {
        compareOutputs(`${kernel} out`, rtol, n, (ref, out) => (ref ? reference : backend)[kernel](n, x, out));
      }
      // sigmoid and tanh differentiate from their output, gelu from its input.
      compareOutputs('sigmoidBackward dx', rtol, n, (ref, out) =>
        (ref ? reference : backend).sigmoidBackward(n, y, dy, out),
      );
      compareOutputs('tanhBackward dx', rtol, n, (ref, out) => (ref ? reference : backend).tanhBackward(n, y, dy, out));
      compareOutputs('geluBackward dx', rtol, n, (ref, out) => (ref ? reference : backend).geluBackward(n, x, dy, out));
    });
    add(`leakyRelu, leakyReluBackward n=${n}`, (rng) => {
      const x = random(rng, n);
      const dy = random(rng, n);
      compareOutputs('leakyRelu out', rtol, n, (ref, out) => (ref ? reference : backend).leakyRelu(n, 0.01, x, out));
      compareOutputs('dx', rtol, n, (ref, out) => (ref ? reference : backend).leakyReluBackward(n, 0.2, x, dy, out));
    });
    add(`dropoutMask n=${n}`, (rng) => {
      const u = random(rng, n).map(Math.abs);
      compareOutputs('mask', 0, n, (ref, out) => (ref ? reference : backend).dropoutMask(n, 0.3, u, out));
    });
    for (const weightDecay of [0, 0.01]) {
      add(`adamUpdate n=${n} weightDecay=${weightDecay}`, (rng) => {
        const [g, m, theta] = [random(rng, n), random(rng, n), random(rng, n)];
        const v = random(rng, n).map((x) => x * x);
        // Step 3 of β₁ = 0.9, β₂ = 0.999: c₁ = 1 − 0.9³, c₂ = 1 − 0.999³.
        compareUpdate(['m', 'v', 'theta'], [m, v, theta], (k, [mOut, vOut, thetaOut]) =>
          k.adamUpdate(n, 0.01, 0.9, 0.999, 1e-8, weightDecay, 0.271, 0.002997001, g, mOut, vOut, thetaOut),
        );
      });
    }
    for (const momentum of [0, 0.9]) {
      add(`rmspropUpdate n=${n} momentum=${momentum}`, (rng) => {
        const [g, velocity, theta] = [random(rng, n), random(rng, n), random(rng, n)];
        const meanSquare = random(rng, n).map((x) => x * x);
        compareUpdate(['meanSquare', 'velocity', 'theta'], [meanSquare, velocity, theta], (k, [s, b, t]) =>
          k.rmspropUpdate(n, 0.01, 0.9, 1e-8, momentum, g, s, b, t),
        );
      });
    }
    for (const nesterov of [false, true]) {
      add(`momentumUpdate n=${n} nesterov=${nesterov}`, (rng) => {
        const [g, velocity, theta] = [random(rng, n), random(rng, n), random(rng, n)];
        compareUpdate(['velocity', 'theta'], [velocity, theta], (k, [v, t]) =>
          k.momentumUpdate(n, 0.1, 0.9, 0.1, nesterov, g, v, t),
        );
      });
    }
    add(`adagradUpdate n=${n}`, (rng) => {
      const [g, theta] = [random(rng, n), random(rng, n)];
      const accumulator = random(rng, n).map((x) => x * x);
      compareUpdate(['accumulator', 'theta'], [accumulator, theta], (k, [a, t]) =>
        k.adagradUpdate(n, 0.1, 1e-10, g, a, t),
      );
    });
  }
  add('sigmoid, tanh, gelu by hand, saturating without overflow', () => {
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
  add('sigmoidBackward, tanhBackward, geluBackward by hand', () => {
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
  add('leakyRelu, leakyReluBackward, dropoutMask by hand', () => {
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
  add('adamUpdate by hand: one step, with and without weight decay', () => {
    // θ = [1, 2], g = [2, −4], m = v = 0, α = 0.5, β₁ = 0.5, β₂ = 0.9375, ε = 0, t = 1 (c₁ = 0.5, c₂ = 0.0625):
    // m = 0.5·g = [1, −2]; v = 0.0625·g² = [0.25, 1]; m̂ = m/0.5 = [2, −4]; √v̂ = √(v/0.0625) = [2, 4];
    // θ = [1, 2] − 0.5·[1, −1] = [0.5, 2.5]. (Without the corrections the step would be 0.5·m/√v = [1, −1].)
    const [m, v, theta] = [new Float32Array(2), new Float32Array(2), f32([1, 2])];
    backend.adamUpdate(2, 0.5, 0.5, 0.9375, 0, 0, 0.5, 0.0625, f32([2, -4]), m, v, theta);
    expectExact('m', m, [1, -2]);
    expectExact('v', v, [0.25, 1]);
    expectExact('θ', theta, [0.5, 2.5]);
    // With λ = 0.5: θ·(1 − 0.5·0.5) = [0.75, 1.5], then − [0.5, −0.5] = [0.25, 2].
    const [m2, v2, decayed] = [new Float32Array(2), new Float32Array(2), f32([1, 2])];
    backend.adamUpdate(2, 0.5, 0.5, 0.9375, 0, 0.5, 0.5, 0.0625, f32([2, -4]), m2, v2, decayed);
    expectExact('θ with weight decay', decayed, [0.25, 2]);
  });
  add('rmspropUpdate by hand: one step, with and without momentum', () => {
    // θ = [1, 2], g = [2, −4], s = 0, ρ = 0.75, α = 0.25, ε = 0: s = 0.25·g² = [1, 4]; g/√s = [2, −2];
    // θ = [1, 2] − 0.25·[2, −2] = [0.5, 2.5]. Without momentum the velocity is neither read nor written.
    const [s, velocity, theta] = [new Float32Array(2), f32([Number.NaN, Number.NaN]), f32([1, 2])];
    backend.rmspropUpdate(2, 0.25, 0.75, 0, 0, f32([2, -4]), s, velocity, theta);
    expectExact('s', s, [1, 4]);
    expectExact('θ', theta, [0.5, 2.5]);
    expectExact('velocity', velocity, [Number.NaN, Number.NaN]);
    // With μ = 0.5 and b = [1, 1]: b = 0.5·[1, 1] + [2, −2] = [2.5, −1.5]; θ = [1, 2] − 0.25·b = [0.375, 2.375].
    const [s2, b, theta2] = [new Float32Array(2), f32([1, 1]), f32([1, 2])];
    backend.rmspropUpdate(2, 0.25, 0.75, 0, 0.5, f32([2, -4]), s2, b, theta2);
    expectExact('b', b, [2.5, -1.5]);
    expectExact('θ with momentum', theta2, [0.375, 2.375]);
  });
  add('momentumUpdate by hand', () => {
    // β = 0.5, c = 0.5, α = 0.25, g = [2, 4], v = [1, −2]: v = [1.5, 1]; θ = [1, 2] − 0.25·v = [0.625, 1.75].
    const [velocity, theta] = [f32([1, -2]), f32([1, 2])];
    backend.momentumUpdate(2, 0.25, 0.5, 0.5, false, f32([2, 4]), velocity, theta);
    expectExact('v', velocity, [1.5, 1]);
    expectExact('θ', theta, [0.625, 1.75]);
    // Nesterov, β = 0.5, c = 1, α = 1, g = 2, v = 1: v = 2.5; θ = 0 − (0.5·2.5 + 2) = −3.25.
    const [v1, t1] = [f32([1]), f32([0])];
    backend.momentumUpdate(1, 1, 0.5, 1, true, f32([2]), v1, t1);
    expectExact('v', v1, [2.5]);
    expectExact('θ with Nesterov', t1, [-3.25]);
  });
  add('adagradUpdate by hand', () => {
    // θ = [1, 2], g = [3, 4], G = [0, 48], α = 0.5, ε = 0: G = [9, 64]; g/√G = [1, 0.5]; θ = [0.5, 1.75].
    const [accumulator, theta] = [f32([0, 48]), f32([1, 2])];
    backend.adagradUpdate(2, 0.5, 0, f32([3, 4]), accumulator, theta);
    expectExact('G', accumulator, [9, 64]);
    expectExact('θ', theta, [0.5, 1.75]);
  });
  add('clamp by hand', () => {
    const out = new Float32Array(4);
    backend.clamp(4, -1, 1, f32([-3, 0.5, 2, Number.NaN]), out);
    expectExact('clamp', out, [-1, 0.5, 1, Number.NaN]);
  });
  add('elementwise and row-wise kernels run in place (out === x)', (rng) => {
    const rows = 5;
    const cols = 7;
    const n = rows * cols;
    const x = random(rng, n);
    const b = random(rng, n, 0.5);
    const v = random(rng, cols);
    const inPlace: [string, (k: Backend, data: Float32Array) => void][] = [
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
    ];
    for (const [name, run] of inPlace) {
      const expected = x.slice();
      run(reference, expected);
      const actual = x.slice();
      run(backend, actual);
      const diff = maxAbsDiff(actual, expected);
      if (!(diff <= rtol * 10)) throw new Error(`${name} in place differs from the reference by ${diff}`);
    }
  });
  add('relu keeps NaN', () => {
    const out = new Float32Array(1);
    backend.relu(1, f32([Number.NaN]), out);
    if (!Number.isNaN(out[0])) throw new Error(`relu(NaN) is ${out[0]}; a diverging network must not be hidden`);
  });
  add('relu by hand', () => {
    const out = new Float32Array(3);
    backend.relu(3, f32([-1, 0, 2]), out);
    expectExact('relu', out, [0, 0, 2]);
    backend.reluBackward(3, f32([-1, 0, 2]), f32([5, 6, 7]), out);
    expectExact('dx', out, [0, 0, 7]);
  });

  for (const [rows, cols] of [
    [1, 1],
    [1, 9],
    [9, 1],
    [5, 7],
    [33, 65],
    [64, 131],
    [0, 4],
  ] as const) {
    add(`addRowVector ${rows}×${cols}`, (rng) => {
      const x = random(rng, rows * cols);
      const v = random(rng, cols);
      compareOutputs('out', rtol, rows * cols, (ref, out) =>
        (ref ? reference : backend).addRowVector(rows, cols, x, v, out),
      );
    });
    add(`transpose ${rows}×${cols}`, (rng) => {
      const x = random(rng, rows * cols);
      compareOutputs('out', 0, rows * cols, (ref, out) => (ref ? reference : backend).transpose(rows, cols, x, out));
    });
    add(`softmaxRows ${rows}×${cols}`, (rng) => {
      const x = random(rng, rows * cols, 0, 20);
      compareOutputs('out', rtol, rows * cols, (ref, out) =>
        (ref ? reference : backend).softmaxRows(rows, cols, x, out),
      );
    });
  }
  for (const [rows, cols] of [
    [1, 1],
    [3, 10],
    [17, 5],
    [0, 3],
  ] as const) {
    add(`softmaxRowsBackward ${rows}×${cols}`, (rng) => {
      const y = new Float32Array(rows * cols);
      reference.softmaxRows(rows, cols, random(rng, rows * cols, 0, 3), y);
      const dy = random(rng, rows * cols);
      compareOutputs('dx', rtol, rows * cols, (ref, out) =>
        (ref ? reference : backend).softmaxRowsBackward(rows, cols, y, dy, out),
      );
    });
    add(`gatherRows ${rows}×${cols}`, (rng) => {
      const x = random(rng, 7 * cols);
      const indices = Int32Array.from({ length: rows }, () => rng.int(7));
      compareOutputs('out', 0, rows * cols, (ref, out) =>
        (ref ? reference : backend).gatherRows(rows, cols, indices, x, out),
      );
    });
  }
  for (const [rows, cols, divisor] of [
    [1, 1, 255],
    [3, 10, 255],
    [17, 33, 7],
    [0, 3, 255],
    [5, 64, 0.1],
    [9, 40, 0], // infinite quotients and 0 / 0
    [64, 784, 255],
  ] as const) {
    add(`gatherBytes ${rows}×${cols} ÷ ${divisor}`, (rng) => {
      const bytes = Uint8Array.from({ length: 9 * cols }, () => rng.int(256));
      const indices = Int32Array.from({ length: rows }, () => rng.int(9));
      compareOutputs('out', 0, rows * cols, (ref, out) =>
        (ref ? reference : backend).gatherBytes(rows, cols, indices, bytes, divisor, out),
      );
    });
  }
  add('gatherBytes by hand', () => {
    const out = f32([9, 9, 9, 9, 9, 9]);
    backend.gatherBytes(2, 3, [1, 0], Uint8Array.of(0, 51, 255, 1, 2, 3), 255, out);
    expectExact('out', out, [1 / 255, 2 / 255, 3 / 255, 0, 0.2, 1].map(Math.fround));
  });
  add('softmaxRowsBackward by hand', () => {
    // y = [0.25, 0.75], dy = [1, 0]: ⟨dy, y⟩ = 0.25, dx = [0.25·0.75, 0.75·(−0.25)].
    const dx = new Float32Array(2);
    backend.softmaxRowsBackward(1, 2, f32([0.25, 0.75]), f32([1, 0]), dx);
    expectExact('dx', dx, [0.1875, -0.1875]);
  });
  add('dot and crossEntropySum by hand', () => {
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
    add(`dot, crossEntropySum n=${n}`, (rng) => {
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
  add('softmaxRows by hand, and without overflow', () => {
    const out = new Float32Array(4);
    backend.softmaxRows(2, 2, f32([0, 0, 1000, -1000]), out);
    expectExact('softmax', out, [0.5, 0.5, 1, 0]);
  });
  add('addRowVector, sumAxis by hand', () => {
    const out = new Float32Array(4);
    backend.addRowVector(2, 2, f32([1, 2, 3, 4]), f32([10, 20]), out);
    expectExact('addRowVector', out, [11, 22, 13, 24]);
    const sums = new Float32Array(2);
    backend.sumAxis(1, 2, 2, f32([1, 2, 3, 4]), sums);
    expectExact('column sums', sums, [4, 6]);
  });

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
    add(`sumAxis, maxAxis, argmaxAxis [${outer}, ${size}, ${inner}]`, (rng) => {
      const x = random(rng, n);
      compareOutputs('sum', rtol, outer * inner, (ref, out) =>
        (ref ? reference : backend).sumAxis(outer, size, inner, x, out),
      );
      compareOutputs('max', 0, outer * inner, (ref, out) =>
        (ref ? reference : backend).maxAxis(outer, size, inner, x, out),
      );
      const expected = new Int32Array(outer * inner);
      const actual = new Int32Array(outer * inner);
      reference.argmaxAxis(outer, size, inner, x, expected);
      backend.argmaxAxis(outer, size, inner, x, actual);
      expectExact('argmax', actual, Array.from(expected));
    });
  }
  add('argmaxAxis: the first maximum wins; NaN is the maximum', () => {
    const out = new Int32Array(2);
    backend.argmaxAxis(2, 3, 1, f32([1, 5, 5, Number.NaN, 9, 1]), out);
    expectExact('argmax', out, [1, 0]);
  });

  add('oneHot', () => {
    const out = f32([9, 9, 9, 9, 9, 9]);
    backend.oneHot(2, 3, new Uint8Array([2, 0]), out);
    expectExact('oneHot', out, [0, 0, 1, 1, 0, 0]);
  });

  // Batch normalisation over [outer 2, channels 2, inner 2]: channel 0 holds 1, 3, 1, 3 (mean 2, variance 1), channel 1
  // holds 0, 4, 4, 0 (mean 2, variance 4), so with ε = 0 every x̂ is ±1 and every result is exact.
  add('batchNormStatistics, batchNormForward, batchNormBackward by hand', () => {
    const x = f32([1, 3, 0, 4, 1, 3, 4, 0]);
    const mean = new Float32Array(2);
    const variance = new Float32Array(2);
    backend.batchNormStatistics(2, 2, 2, x, mean, variance);
    expectExact('mean', mean, [2, 2]);
    expectExact('variance', variance, [1, 4]);
    const gamma = f32([2, 0.5]);
    const xhat = new Float32Array(8);
    const y = new Float32Array(8);
    backend.batchNormForward(2, 2, 2, 0, x, mean, variance, gamma, f32([1, -1]), xhat, y);
    expectExact('xhat', xhat, [-1, 1, -1, 1, -1, 1, 1, -1]);
    expectExact('y', y, [-1, 3, -1.5, -0.5, -1, 3, -0.5, -1.5]);
    // Channel 0: dy = 1, 0, 0, 3, so mean(dy) = 1, mean(dy·x̂) = 0.5 and dx = (2/1)·(dy − 1 − 0.5·x̂).
    // Channel 1: dy = 2, 2, 0, 0, so mean(dy) = 1, mean(dy·x̂) = 0 and dx = (0.5/2)·(dy − 1).
    const dy = f32([1, 0, 2, 2, 0, 3, 0, 0]);
    const dgamma = f32([1, 1]);
    const dbeta = f32([0, 0]);
    const dx = new Float32Array(8);
    backend.batchNormBackward(2, 2, 2, 0, true, xhat, dy, variance, gamma, dgamma, dbeta, dx);
    expectExact('dx', dx, [1, -3, 0.25, 0.25, -1, 3, -0.25, -0.25]);
    expectExact('dgamma (accumulated onto 1)', dgamma, [3, 1]);
    expectExact('dbeta', dbeta, [4, 4]);
    // With fixed statistics the mean and variance are constants: dx = (γ/σ)·dy.
    backend.batchNormBackward(2, 2, 2, 0, false, xhat, dy, variance, gamma, dgamma, dbeta, dx);
    expectExact('dx (fixed statistics)', dx, [2, 0, 0.5, 0.5, 0, 6, 0, 0]);
    expectExact('dgamma', dgamma, [5, 1]);
  });
  for (const [outer, channels, inner] of [
    [1, 1, 1],
    [7, 5, 1],
    [3, 4, 5],
    [2, 3, 16],
    [1, 13, 6],
    [8, 6, 49],
    [300, 4, 1],
  ] as const) {
    const n = outer * channels * inner;
    const label = `[${outer}, ${channels}, ${inner}]`;
    add(`batchNormStatistics ${label}`, (rng) => {
      // An offset mean, so a one-pass E[x²] − E[x]² would lose the variance to cancellation.
      const x = random(rng, n).map((v) => v + 100);
      compareUpdate(['mean', 'variance'], [new Float32Array(channels), new Float32Array(channels)], (k, [m, v]) =>
        k.batchNormStatistics(outer, channels, inner, x, m, v),
      );
    });
    add(`batchNormForward ${label}`, (rng) => {
      const x = random(rng, n);
      const mean = random(rng, channels);
      const variance = random(rng, channels).map(Math.abs);
      const gamma = random(rng, channels);
      const beta = random(rng, channels);
      compareUpdate(['xhat', 'y'], [new Float32Array(n), new Float32Array(n)], (k, [xhat, y]) =>
        k.batchNormForward(outer, channels, inner, 1e-5, x, mean, variance, gamma, beta, xhat, y),
      );
    });
    for (const batchStatistics of [true, false]) {
      add(`batchNormBackward ${label}${batchStatistics ? '' : ', fixed statistics'}`, (rng) => {
        const xhat = random(rng, n, 0, 2);
        const dy = random(rng, n);
        const variance = random(rng, channels).map(Math.abs);
        const gamma = random(rng, channels);
        compareUpdate(
          ['dgamma', 'dbeta', 'dx'],
          [random(rng, channels), random(rng, channels), new Float32Array(n)],
          (k, [dgamma, dbeta, dx]) =>
            k.batchNormBackward(
              outer,
              channels,
              inner,
              1e-5,
              batchStatistics,
              xhat,
              dy,
              variance,
              gamma,
              dgamma,
              dbeta,
              dx,
            ),
        );
      });
    }
  }
  add('batchNormForward and batchNormBackward run in place (y === x, dx === dy)', (rng) => {
    // Large enough that a backend with a separate path for small arrays runs its main one.
    const [outer, channels, inner] = [6, 3, 50];
    const n = outer * channels * inner;
    const x = random(rng, n);
    const variance = random(rng, channels).map(Math.abs);
    const gamma = random(rng, channels);
    const other = random(rng, n);
    const inPlace: [string, (k: Backend, data: Float32Array) => void][] = [
      [
        'batchNormForward',
        (k, d) => k.batchNormForward(outer, channels, inner, 1e-5, d, gamma, variance, gamma, gamma, other.slice(), d),
      ],
      [
        'batchNormBackward',
        (k, d) =>
          k.batchNormBackward(
            outer,
            channels,
            inner,
            1e-5,
            true,
            other,
            d,
            variance,
            gamma,
            gamma.slice(),
            gamma.slice(),
            d,
          ),
      ],
    ];
    for (const [name, run] of inPlace) {
      const expected = x.slice();
      run(reference, expected);
      const actual = x.slice();
      run(backend, actual);
      const diff = maxAbsDiff(actual, expected);
      if (!(diff <= rtol * 10)) throw new Error(`${name} in place differs from the reference by ${diff}`);
    }
  });

  // A 3×3 image through a 2×2 window: each column of the result is one window, read row by row.
  add('im2col by hand, 3×3 image, 2×2 window', () => {
    const col = new Float32Array(16);
    backend.im2col(1, 3, 3, 2, 2, 1, 1, 0, 0, f32([1, 2, 3, 4, 5, 6, 7, 8, 9]), 0, col, 0);
    expectExact('col', col, [1, 2, 4, 5, 2, 3, 5, 6, 4, 5, 7, 8, 5, 6, 8, 9]);
  });
  const windows = [
    [1, 5, 5, 3, 3, 1, 1, 0, 0],
    [2, 6, 7, 3, 3, 1, 1, 1, 1],
    [3, 8, 8, 2, 2, 2, 2, 0, 0],
    [2, 7, 9, 3, 2, 2, 1, 1, 2],
    [1, 28, 28, 5, 5, 1, 1, 2, 2],
  ] as const;
  for (const [c, h, w, kh, kw, sh, sw, ph, pw] of windows) {
    const outH = Math.floor((h + 2 * ph - kh) / sh) + 1;
    const outW = Math.floor((w + 2 * pw - kw) / sw) + 1;
    const colSize = c * kh * kw * outH * outW;
    const label = `${c}×${h}×${w} window ${kh}×${kw} stride ${sh}×${sw} pad ${ph}×${pw}`;
    add(`im2col ${label}`, (rng) => {
      // An offset image inside a larger array, as a batched caller passes it.
      const x = random(rng, 3 + c * h * w);
      compareOutputs('col', 0, colSize, (ref, out) =>
        (ref ? reference : backend).im2col(c, h, w, kh, kw, sh, sw, ph, pw, x, 3, out, 0),
      );
    });
    add(`col2im ${label}`, (rng) => {
      const col = random(rng, colSize);
      const start = random(rng, c * h * w);
      compareOutputs('dx', rtol, c * h * w, (ref, out) => {
        out.set(start);
        (ref ? reference : backend).col2im(c, h, w, kh, kw, sh, sw, ph, pw, col, 0, out, 0);
      });
    });
  }

  add('addChannelBias by hand, in place', () => {
    const x = f32([1, 2, 3, 4, 5, 6, 7, 8]);
    backend.addChannelBias(2, 2, 2, x, f32([10, 20]), x);
    expectExact('addChannelBias', x, [11, 12, 23, 24, 15, 16, 27, 28]);
  });
  for (const [batch, channels, spatial] of [
    [3, 4, 5],
    [4, 6, 30],
  ] as const) {
    add(`addChannelBias [${batch}, ${channels}, ${spatial}]`, (rng) => {
      const n = batch * channels * spatial;
      const x = random(rng, n);
      const bias = random(rng, channels);
      compareOutputs('out', 0, n, (ref, out) =>
        (ref ? reference : backend).addChannelBias(batch, channels, spatial, x, bias, out),
      );
    });
  }

  // A 4×4 image, 2×2 windows with stride 2: [[1, 2, 5, 0], [3, 4, 6, 8], [9, 9, -1, -2], [7, 9, -3, -4]].
  add('maxPool2d, maxPool2dBackward by hand: the first maximum wins', () => {
    const x = f32([1, 2, 5, 0, 3, 4, 6, 8, 9, 9, -1, -2, 7, 9, -3, -4]);
    const out = new Float32Array(4);
    const argmax = new Int32Array(4);
    backend.maxPool2d(1, 4, 4, 2, 2, 2, 2, 0, 0, x, out, argmax);
    expectExact('max', out, [4, 8, 9, -1]);
    expectExact('argmax', argmax, [5, 7, 8, 10]);
    const dx = new Float32Array(16).fill(1);
    backend.maxPool2dBackward(4, f32([10, 20, 30, 40]), argmax, dx);
    expectExact('dx', dx, [1, 1, 1, 1, 1, 11, 1, 21, 31, 1, 41, 1, 1, 1, 1, 1]);
  });
  // Padding 1 around [[1, 2], [3, 4]] with 2×2 windows, stride 2: each window holds one pixel. Max pooling ignores
  // the padding even for negative inputs; average pooling divides by all 4 positions.
  add('maxPool2d, avgPool2d by hand with padding', () => {
    const out = new Float32Array(4);
    const argmax = new Int32Array(4);
    backend.maxPool2d(1, 2, 2, 2, 2, 2, 2, 1, 1, f32([-1, -2, -3, -4]), out, argmax);
    expectExact('max', out, [-1, -2, -3, -4]);
    expectExact('argmax', argmax, [0, 1, 2, 3]);
    backend.avgPool2d(1, 2, 2, 2, 2, 2, 2, 1, 1, f32([1, 2, 3, 4]), out);
    expectExact('avg', out, [0.25, 0.5, 0.75, 1]);
    const dx = new Float32Array(4);
    backend.avgPool2dBackward(1, 2, 2, 2, 2, 2, 2, 1, 1, f32([4, 8, 12, 16]), dx);
    expectExact('dx', dx, [1, 2, 3, 4]);
  });
  // Overlapping 2×2 windows, stride 1, on [[1, 2, 3], [4, 5, 6]]: averages 3 and 4; position 1 is in both.
  add('avgPool2d, avgPool2dBackward by hand, overlapping windows', () => {
    const out = new Float32Array(2);
    backend.avgPool2d(1, 2, 3, 2, 2, 1, 1, 0, 0, f32([1, 2, 3, 4, 5, 6]), out);
    expectExact('avg', out, [3, 4]);
    const dx = new Float32Array(6);
    backend.avgPool2dBackward(1, 2, 3, 2, 2, 1, 1, 0, 0, f32([4, 8]), dx);
    expectExact('dx', dx, [1, 3, 2, 1, 3, 2]);
  });
  add('maxPool2d: NaN is the maximum', () => {
    const out = new Float32Array(1);
    const argmax = new Int32Array(1);
    backend.maxPool2d(1, 2, 2, 2, 2, 2, 2, 0, 0, f32([1, Number.NaN, 3, Number.NaN]), out, argmax);
    if (!Number.isNaN(out[0]) || argmax[0] !== 1)
      throw new Error(`max is ${out[0]} at ${argmax[0]}, expected NaN at 1`);
  });
  const pools = [
    [1, 4, 4, 2, 2, 2, 2, 0, 0],
    [3, 7, 5, 3, 3, 2, 2, 1, 1],
    [2, 6, 9, 3, 2, 1, 2, 1, 0],
    [4, 5, 5, 2, 2, 1, 1, 1, 1],
    [2, 28, 28, 2, 2, 2, 2, 0, 0],
  ] as const;
  for (const [planes, h, w, kh, kw, sh, sw, ph, pw] of pools) {
    const outSize = planes * (Math.floor((h + 2 * ph - kh) / sh) + 1) * (Math.floor((w + 2 * pw - kw) / sw) + 1);
    const label = `${planes}×${h}×${w} window ${kh}×${kw} stride ${sh}×${sw} pad ${ph}×${pw}`;
    add(`maxPool2d, maxPool2dBackward ${label}`, (rng) => {
      const x = random(rng, planes * h * w);
      const expected = new Int32Array(outSize);
      const actual = new Int32Array(outSize);
      compareOutputs('max', 0, outSize, (ref, out) =>
        (ref ? reference : backend).maxPool2d(planes, h, w, kh, kw, sh, sw, ph, pw, x, out, ref ? expected : actual),
      );
      expectExact('argmax', actual, Array.from(expected));
      const dy = random(rng, outSize);
      const start = random(rng, planes * h * w);
      compareOutputs('dx', rtol, planes * h * w, (ref, out) => {
        out.set(start);
        (ref ? reference : backend).maxPool2dBackward(outSize, dy, expected, out);
      });
    });
    add(`avgPool2d, avgPool2dBackward ${label}`, (rng) => {
      const x = random(rng, planes * h * w);
      compareOutputs('avg', rtol, outSize, (ref, out) =>
        (ref ? reference : backend).avgPool2d(planes, h, w, kh, kw, sh, sw, ph, pw, x, out),
      );
      const dy = random(rng, outSize);
      const start = random(rng, planes * h * w);
      compareOutputs('dx', rtol, planes * h * w, (ref, out) => {
        out.set(start);
        (ref ? reference : backend).avgPool2dBackward(planes, h, w, kh, kw, sh, sw, ph, pw, dy, out);
      });
    });
  }
  return cases;
}

/** Runs every case of {@link backendConformanceCases} and reports which passed and which failed. */
export function checkBackendConformance(backend: Backend, options: ConformanceOptions = {}): ConformanceReport {
  const report: ConformanceReport = { passed: [], failed: [] };
  for (const c of backendConformanceCases(backend, options)) {
    try {
      c.run();
      report.passed.push(c.name);
    } catch (error) {
      report.failed.push({ name: c.name, error: error instanceof Error ? error : new Error(String(error)) });
    }
  }
  return report;
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

function checkGemm(
  backend: Backend,
  rng: Random,
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  alpha: number,
  beta: number,
): void {
  // Stored operands get a leading dimension 2 wider than needed and a start offset, like a submatrix view.
  const [aRows, aCols] = transA ? [k, m] : [m, k];
  const [bRows, bCols] = transB ? [n, k] : [k, n];
  const lda = aCols + 2;
  const ldb = bCols + 2;
  const ldc = n + 3;
  const a = random(rng, 1 + aRows * lda);
  const b = random(rng, 2 + bRows * ldb);
  const c = random(rng, 3 + m * ldc + 1);
  const before = c.slice();
  backend.gemm(transA, transB, m, n, k, alpha, a, 1, lda, b, 2, ldb, beta, c, 3, ldc);
  for (let i = 0; i < c.length; i++) {
    const row = Math.floor((i - 3) / ldc);
    const col = (i - 3) % ldc;
    const inWindow = i >= 3 && row < m && col < n;
    if (!inWindow) {
      if (!Object.is(c[i], before[i])) throw new Error(`gemm wrote ${c[i]} at C[${i}], outside the ${m}×${n} window`);
      continue;
    }
    let sum = 0;
    let magnitude = 0;
    for (let p = 0; p < k; p++) {
      const x = transA ? a[1 + p * lda + row] : a[1 + row * lda + p];
      const y = transB ? b[2 + col * ldb + p] : b[2 + p * ldb + col];
      sum += x * y;
      magnitude += Math.abs(x * y);
    }
    const expected = alpha * sum + beta * before[i];
    // A float32 dot product of depth k is within about k·2⁻²⁴·Σ|aᵢbᵢ| of the exact value; allow 4× that, plus the
    // rounding of the final store.
    const bound = 4 * (k + 2) * 2 ** -24 * (Math.abs(alpha) * magnitude + Math.abs(beta * before[i])) + 1e-6;
    if (!(Math.abs(c[i] - expected) <= bound)) {
      throw new Error(`C[${row}, ${col}] is ${c[i]}, expected ${expected} ± ${bound.toExponential(2)}`);
    }
  }
}

const plainArray = (length: number): Float32Array => new Float32Array(length);
/** Where the running case's arrays come from (see {@link ConformanceOptions.allocate}). */
let arrays: (length: number) => Float32Array = plainArray;

function framed(n: number): Float32Array {
  return arrays(n + 2 * GUARD).fill(SENTINEL);
}

function random(rng: Random, n: number, awayFromZero = 0, spread = 1): Float32Array {
  const out = arrays(n);
  for (let i = 0; i < n; i++) {
    const v = rng.uniform(-spread, spread);
    out[i] = v < 0 ? v - awayFromZero : v + awayFromZero;
  }
  return out;
}

function f32(values: number[]): Float32Array {
  const out = arrays(values.length);
  out.set(values);
  return out;
}

function expectExact(what: string, actual: ArrayLike<number>, expected: readonly number[]): void {
  if (actual.length !== expected.length || maxAbsDiff(actual, expected) !== 0) {
    throw new Error(`${what} is [${Array.from(actual).join(', ')}], expected [${expected.join(', ')}]`);
  }
}
