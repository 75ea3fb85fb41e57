import { axpy, dot, Random, randomNormal, ShapeError, Tensor } from '@mnist/tensor';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../config-error.js';
import { type Initializer, LayerStateError } from '../index.js';
import { gradientCheck } from '../testing/gradient-check.js';
import { Dense } from './dense.js';

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a throw');
}

/** Dense(2, 3) with W = [[1, 0, −1], [2, 1, 0]] and b = [0.5, −0.5, 1]. */
function handLayer(useBias = true): Dense {
  const layer = new Dense(2, 3, { useBias });
  layer.weight.value.data.set([1, 0, -1, 2, 1, 0]);
  layer.bias?.value.data.set([0.5, -0.5, 1]);
  return layer;
}

describe('Dense forward and backward by hand', () => {
  const x = Tensor.fromArray([
    [1, 2],
    [3, 4],
  ]);

  it('computes y = x·W + b', () => {
    // Row 0: [1·1 + 2·2, 1·0 + 2·1, 1·(−1) + 2·0] + b = [5, 2, −1] + [0.5, −0.5, 1] = [5.5, 1.5, 0]
    // Row 1: [3 + 8, 0 + 4, −3 + 0] + b = [11.5, 3.5, −2]
    expect(handLayer().forward(x).toArray()).toEqual([
      [5.5, 1.5, 0],
      [11.5, 3.5, -2],
    ]);
    expect(handLayer(false).forward(x).toArray()).toEqual([
      [5, 2, -1],
      [11, 4, -3],
    ]);
  });

  it('adds xᵀ·dy, Σ dy and returns dy·Wᵀ', () => {
    const layer = handLayer();
    layer.forward(x);
    const dy = Tensor.fromArray([
      [1, 0, 1],
      [0, 1, -1],
    ]);
    const dx = layer.backward(dy);
    // dW = xᵀ·dy = [[1·1 + 3·0, 1·0 + 3·1, 1·1 + 3·(−1)], [2·1 + 4·0, 2·0 + 4·1, 2·1 + 4·(−1)]]
    expect(layer.weight.grad.toArray()).toEqual([
      [1, 3, -2],
      [2, 4, -2],
    ]);
    // db = column sums of dy
    expect(layer.bias?.grad.toArray()).toEqual([1, 1, 0]);
    // dx = dy·Wᵀ: row 0 = [1·1 + 0·0 + 1·(−1), 1·2 + 0·1 + 1·0], row 1 = [0·1 + 1·0 + (−1)(−1), 0·2 + 1·1 + (−1)·0]
    expect(dx.toArray()).toEqual([
      [0, 2],
      [1, 1],
    ]);
  });

  it('accumulates gradients over backward calls until they are zeroed', () => {
    const layer = handLayer();
    const dy = Tensor.fromArray([
      [1, 0, 1],
      [0, 1, -1],
    ]);
    layer.forward(x);
    layer.backward(dy);
    layer.backward(dy);
    expect(layer.weight.grad.toArray()).toEqual([
      [2, 6, -4],
      [4, 8, -4],
    ]);
    expect(layer.bias?.grad.toArray()).toEqual([2, 2, 0]);
  });

  it('reuses its output buffer while the batch size is unchanged', () => {
    const layer = handLayer();
    const y1 = layer.forward(x);
    expect(layer.forward(x)).toBe(y1);
    expect(layer.forward(Tensor.zeros([3, 2]))).not.toBe(y1);
  });
});

describe('Dense parameters', () => {
  it('has a weight [in, out] and a zero bias [out], or no bias', () => {
    const layer = new Dense(4, 3, { seed: 1 });
    expect(layer.params().map((p) => [p.name, p.value.shape])).toEqual([
      ['weight', [4, 3]],
      ['bias', [3]],
    ]);
    expect(layer.bias?.value.data.every((v) => v === 0)).toBe(true);
    const noBias = new Dense(4, 3, { useBias: false });
    expect(noBias.bias).toBeUndefined();
    expect(noBias.params().map((p) => p.name)).toEqual(['weight']);
    expect(noBias.config()).toEqual({ inputSize: 4, outputSize: 3, initializer: 'he', useBias: false, l2: 0 });
  });

  it('draws the same weights from the same seed and different ones from another', () => {
    const a = new Dense(6, 5, { seed: 11 });
    expect(new Dense(6, 5, { seed: 11 }).weight.value.equals(a.weight.value)).toBe(true);
    expect(new Dense(6, 5, { seed: 12 }).weight.value.equals(a.weight.value)).toBe(false);
  });

  it('initialize re-draws the weights from the generator and zeroes the bias', () => {
    const layer = new Dense(6, 5, { seed: 1 });
    layer.bias?.value.fill(3);
    layer.initialize(new Random(11));
    expect(layer.weight.value.equals(new Dense(6, 5, { seed: 11 }).weight.value)).toBe(true);
    expect(layer.bias?.value.data.every((v) => v === 0)).toBe(true);
  });

  const stats = (initializer: Initializer) => {
    const w = new Dense(200, 100, { initializer, seed: 5 }).weight.value.data;
    let sum = 0;
    let squares = 0;
    let largest = 0;
    for (const v of w) {
      sum += v;
      squares += v * v;
      largest = Math.max(largest, Math.abs(v));
    }
    return { mean: sum / w.length, std: Math.sqrt(squares / w.length), largest };
  };

  it('he draws N(0, 2/fanIn)', () => {
    const { mean, std } = stats('he');
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(std / Math.sqrt(2 / 200)).toBeCloseTo(1, 1);
  });

  it('lecun draws N(0, 1/fanIn)', () => {
    const { mean, std } = stats('lecun');
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(std / Math.sqrt(1 / 200)).toBeCloseTo(1, 1);
  });

  it('glorot draws U(±√(6/(fanIn + fanOut)))', () => {
    const limit = Math.sqrt(6 / 300);
    const { std, largest } = stats('glorot');
    expect(largest).toBeLessThanOrEqual(limit);
    expect(largest).toBeGreaterThan(0.99 * limit);
    // The standard deviation of U(−a, a) is a/√3.
    expect(std / (limit / Math.sqrt(3))).toBeCloseTo(1, 1);
  });

  it('zeros draws nothing', () => {
    expect(stats('zeros')).toEqual({ mean: 0, std: 0, largest: 0 });
  });
});

describe('Dense errors', () => {
  it('rejects sizes that are not positive integers, naming the size', () => {
    for (const [inputSize, outputSize, name, found] of [
      [0, 3, 'inputSize', '0'],
      [-1, 3, 'inputSize', '-1'],
      [2.5, 3, 'inputSize', '2.5'],
      [Number.NaN, 3, 'inputSize', 'NaN'],
      [2, 0, 'outputSize', '0'],
      [2, Number.POSITIVE_INFINITY, 'outputSize', 'Infinity'],
    ] as const) {
      const error = thrown(() => new Dense(inputSize, outputSize));
      expect(error).toBeInstanceOf(RangeError);
      expect(error.message).toBe(`Dense: ${name} must be a positive integer, found ${found}`);
    }
  });

  it('rejects an unknown initializer, listing the known ones', () => {
    const error = thrown(() => new Dense(2, 3, { initializer: 'xavier' as Initializer }));
    expect(error).toBeInstanceOf(RangeError);
    expect(error.message).toBe("Dense: initializer must be one of he, glorot, lecun, zeros, found 'xavier'");
  });

  it('forward rejects the wrong input shape with a ShapeError naming the expected and the found shape', () => {
    const layer = new Dense(3, 2);
    for (const shape of [[4, 2], [4], [4, 3, 1]]) {
      const error = thrown(() => layer.forward(Tensor.zeros(shape)));
      expect(error).toBeInstanceOf(ShapeError);
      expect(error.message).toContain('[batch, 3]');
      expect(error.message).toContain(`[${shape.join(', ')}]`);
    }
  });

  it('backward before forward throws LayerStateError', () => {
    const error = thrown(() => new Dense(3, 2).backward(Tensor.zeros([1, 2])));
    expect(error).toBeInstanceOf(LayerStateError);
    expect(error.message).toBe('Dense: backward called before forward');
  });

  it('backward rejects a dy unlike the last output, naming both shapes', () => {
    const layer = new Dense(3, 2);
    layer.forward(Tensor.zeros([4, 3]));
    for (const shape of [[4, 3], [5, 2], [8]]) {
      const error = thrown(() => layer.backward(Tensor.zeros(shape)));
      expect(error).toBeInstanceOf(ShapeError);
      expect(error.message).toContain('[4, 2]');
      expect(error.message).toContain(`[${shape.join(', ')}]`);
    }
    expect(layer.weight.grad.data.every((v) => v === 0)).toBe(true);
  });

  it('outputShape keeps the batch and checks the features', () => {
    const layer = new Dense(3, 2);
    expect(layer.outputShape([-1, 3])).toEqual([-1, 2]);
    expect(layer.outputShape([7, 3])).toEqual([7, 2]);
    expect(thrown(() => layer.outputShape([7, 4]))).toBeInstanceOf(ShapeError);
  });
});

describe('Dense.fromConfig', () => {
  it('rebuilds the configuration', () => {
    const config = { inputSize: 3, outputSize: 2, initializer: 'glorot', useBias: false, l2: 0.01 };
    expect(Dense.fromConfig(config).config()).toEqual(config);
  });

  it('throws a ConfigError naming the field for a missing or invalid value', () => {
    const valid = { inputSize: 3, outputSize: 2, initializer: 'he', useBias: true, l2: 0 };
    for (const [field, value, found] of [
      ['inputSize', undefined, 'nothing'],
      ['inputSize', '3', '"3"'],
      ['inputSize', 0, '0'],
      ['inputSize', 2 ** 20 + 1, String(2 ** 20 + 1)],
      ['outputSize', 1.5, '1.5'],
      ['initializer', 'xavier', '"xavier"'],
      ['useBias', 'yes', '"yes"'],
      ['l2', 'small', '"small"'],
    ] as const) {
      const config: Record<string, unknown> = { ...valid, [field]: value };
      if (value === undefined) delete config[field];
      const error = thrown(() => Dense.fromConfig(config as never));
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).field).toBe(field);
      expect(error.message).toContain(`'${field}' must be`);
      expect(error.message).toContain(`found ${found}`);
    }
  });

  it('refuses a weight matrix over 2²⁶ values before allocating it', () => {
    const started = performance.now();
    const error = thrown(() =>
      Dense.fromConfig({ inputSize: 2 ** 20, outputSize: 2 ** 20, initializer: 'he', useBias: true }),
    );
    expect(performance.now() - started).toBeLessThan(100);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toContain('1048576×1048576');
  });
});

describe('Dense L2 regularisation', () => {
  const x = randomNormal([4, 5], new Random(2));
  const dy = randomNormal([4, 3], new Random(3));
  const lambda = 0.5;

  /** The same layer, weights and batch with and without `l2`, after one forward and backward each. */
  function pair() {
    const plain = new Dense(5, 3, { seed: 1 });
    const regularised = new Dense(5, 3, { seed: 1, l2: lambda });
    const dx = [plain, regularised].map((layer) => {
      layer.forward(x);
      return layer.backward(dy).clone();
    });
    return { plain, regularised, dx };
  }

  it('adds λ·W to the weight gradient (the gradient of (λ/2)·‖W‖²), and nothing to the bias or dx', () => {
    const { plain, regularised, dx } = pair();
    const expected = plain.weight.grad.clone();
    axpy(lambda, regularised.weight.value, expected); // dW = xᵀ·dy + λ·W
    expect(regularised.weight.grad.equals(expected)).toBe(true);
    expect(regularised.weight.grad.equals(plain.weight.grad)).toBe(false);
    expect(regularised.bias?.grad.equals(plain.bias?.grad as Tensor)).toBe(true);
    expect(dx[1].equals(dx[0])).toBe(true);
  });

  it('matches finite differences of the regularised loss Σ y ⊙ dy + (λ/2)·‖W‖²', () => {
    const { regularised: layer } = pair();
    const analytic = layer.weight.grad.clone();
    const w = layer.weight.value;
    const loss = () => dot(layer.forward(x), dy) + (lambda / 2) * dot(w, w);
    for (let i = 0; i < w.size; i++) {
      const original = w.data[i];
      w.data[i] = original + 1e-2;
      const plus = loss();
      w.data[i] = original - 1e-2;
      const minus = loss();
      w.data[i] = original;
      const numeric = (plus - minus) / (Math.fround(original + 1e-2) - Math.fround(original - 1e-2));
      expect(Math.abs(analytic.data[i] - numeric)).toBeLessThan(2e-3 + 2e-2 * Math.abs(numeric));
    }
  });

  it('leaves the gradient-check harness, whose loss has no penalty, off by exactly λ·W on the weight alone', () => {
    const layer = new Dense(5, 3, { seed: 1, l2: lambda });
    const report = gradientCheck(layer, x, { atol: 1e-3, rtol: 1e-3 });
    expect(report.mismatches.length).toBeGreaterThan(0);
    for (const m of report.mismatches) {
      expect(m.tensor).toBe('weight');
      expect(m.analytic - m.numeric).toBeCloseTo(lambda * layer.weight.value.data[m.index], 2);
    }
  });

  it('accumulates λ·W on every backward and, with no data gradient, shrinks W by α·λ under SGD', () => {
    const layer = new Dense(2, 2, { seed: 1, l2: 0.1, useBias: false });
    const w = layer.weight.value.clone();
    layer.forward(Tensor.zeros([1, 2]));
    layer.backward(Tensor.zeros([1, 2]));
    layer.backward(Tensor.zeros([1, 2]));
    for (let i = 0; i < w.size; i++) expect(layer.weight.grad.data[i]).toBeCloseTo(2 * 0.1 * w.data[i], 6);
  });

  it('is saved in the config and rejected when negative or not finite', () => {
    expect(new Dense(2, 2, { l2: 1e-4 }).config()).toEqual({
      inputSize: 2,
      outputSize: 2,
      initializer: 'he',
      useBias: true,
      l2: 1e-4,
    });
    expect(new Dense(2, 2).l2).toBe(0);
    expect(Dense.fromConfig({ inputSize: 2, outputSize: 2, initializer: 'he', useBias: true }).l2).toBe(0);
    for (const l2 of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => new Dense(2, 2, { l2 })).toThrow(
        new RangeError(`Dense: l2 must be a finite number ≥ 0, found ${l2}`),
      );
    }
  });
});
