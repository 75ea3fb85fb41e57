import { describe, expect, it } from 'vitest';
import { Dense, ModelFormatError, Momentum, ReLU, Sequential, Softmax } from '../index.js';
import { encodeFloat32 } from './base64.js';

// biome-ignore lint/suspicious/noExplicitAny: the tests corrupt arbitrary fields of a parsed model file
type ModelJson = Record<string, any>;

/** Loads `data` and returns the ModelFormatError it must throw. */
function formatError(data: unknown, options: Parameters<typeof Sequential.load>[1] = {}): ModelFormatError {
  try {
    Sequential.load(data, options);
  } catch (error) {
    if (error instanceof ModelFormatError) return error;
    throw new Error(`expected a ModelFormatError, got ${String(error)}`);
  }
  throw new Error('expected the load to fail');
}

/** Checks the error's path and that its message starts with the path and contains `detail`. */
function expectFailure(data: unknown, path: string, detail: string | RegExp, options = {}): void {
  const error = formatError(data, options);
  expect(error.path).toBe(path);
  expect(error.name).toBe('ModelFormatError');
  expect(error.message.startsWith(`${path}: `)).toBe(true);
  if (typeof detail === 'string') expect(error.message).toContain(detail);
  else expect(error.message).toMatch(detail);
}

/** A valid, saved Dense(2, 3) + ReLU + Dense(3, 2) + Softmax model, as a mutable object. */
function file(): ModelJson {
  const model = new Sequential([new Dense(2, 3), new ReLU(), new Dense(3, 2), new Softmax()], { seed: 1 });
  model.compile({ loss: 'categoricalCrossEntropy', optimizer: new Momentum() });
  model.training.optimizer?.step(model.params());
  return JSON.parse(JSON.stringify(model.save({ includeOptimizer: true })));
}

function denseOnly(config: Record<string, unknown>, weights: Record<string, unknown> = {}): string {
  return JSON.stringify({ format: 'mnist-ts/sequential', version: 1, layers: [{ type: 'Dense', config }], weights });
}

describe('Sequential.load of untrusted input: every failure is a ModelFormatError naming the JSON path', () => {
  it('loads the valid file these cases start from', () => {
    expect(Sequential.load(file()).layers).toHaveLength(4);
  });

  it('text that is not JSON', () => {
    expectFailure('{"format": ', '$', 'not valid JSON');
    expectFailure('', '$', 'not valid JSON');
  });

  it('a document that is not an object', () => {
    for (const value of ['[]', 'null', '42', '"model"']) expectFailure(value, '$', 'expected an object');
    expectFailure(undefined, '$', 'expected an object, found nothing');
  });

  it('a wrong format tag or version', () => {
    expectFailure({ ...file(), format: 'keras' }, '$.format', 'expected "mnist-ts/sequential", found "keras"');
    expectFailure({ ...file(), format: undefined }, '$.format', 'found nothing');
    expectFailure({ ...file(), version: 2 }, '$.version', 'this library reads version 1, found 2');
    expectFailure({ ...file(), version: '1' }, '$.version', 'found "1"');
  });

  it('layers that are not an array, or entries that are not layers', () => {
    expectFailure({ ...file(), layers: { 0: {} } }, '$.layers', 'expected an array, found an object');
    expectFailure({ ...file(), layers: ['Dense'] }, '$.layers[0]', 'expected an object, found "Dense"');
    expectFailure(
      { ...file(), layers: [{ config: {} }] },
      '$.layers[0].type',
      'expected a layer type name, found nothing',
    );
    expectFailure({ ...file(), layers: [{ type: 7, config: {} }] }, '$.layers[0].type', 'found 7');
  });

  it('an unknown layer type, listing the known types', () => {
    const f = file();
    f.layers[2].type = 'Conv3D';
    expectFailure(
      f,
      '$.layers[2].type',
      "unknown layer type 'Conv3D'; known types: Dense, Conv2D, MaxPool2D, AvgPool2D, ReLU, LeakyReLU, Sigmoid, Tanh, GELU, Softmax, Flatten, Dropout, BatchNorm, Sequential",
    );
    f.layers[2].type = '__proto__';
    expectFailure(f, '$.layers[2].type', "unknown layer type '__proto__'");
    f.layers[2].type = 'constructor';
    expectFailure(f, '$.layers[2].type', "unknown layer type 'constructor'");
  });

  it('a config that is missing, or a config field that is missing or of the wrong type', () => {
    const f = file();
    delete f.layers[0].config;
    expectFailure(f, '$.layers[0].config', 'expected an object, found nothing');
    const g = file();
    delete g.layers[0].config.inputSize;
    expectFailure(
      g,
      '$.layers[0].config.inputSize',
      "Dense config: 'inputSize' must be an integer in [1, 1048576], found nothing",
    );
    const h = file();
    h.layers[0].config.inputSize = '2';
    expectFailure(h, '$.layers[0].config.inputSize', 'found "2"');
    const i = file();
    i.layers[2].config.useBias = 1;
    expectFailure(i, '$.layers[2].config.useBias', "'useBias' must be true or false, found 1");
    const j = file();
    j.layers[2].config.initializer = 'orthogonal';
    expectFailure(j, '$.layers[2].config.initializer', "must be one of 'he', 'glorot', 'lecun', 'zeros'");
    const k = file();
    k.layers[0].config.l2 = -0.1;
    expectFailure(k, '$.layers[0].config', 'Dense: l2 must be a finite number ≥ 0, found -0.1');
  });

  it('a Dense config written before l2 existed loads with l2 = 0, and saves it explicitly', () => {
    const old = file();
    for (const i of [0, 2]) delete old.layers[i].config.l2;
    const loaded = Sequential.load(old);
    expect((loaded.layers[0] as Dense).l2).toBe(0);
    expect(loaded.save().layers[0].config).toEqual({
      inputSize: 2,
      outputSize: 3,
      initializer: 'he',
      useBias: true,
      l2: 0,
    });
  });

  it('absurd Dense sizes fail before anything is allocated', () => {
    const started = performance.now();
    const base = { initializer: 'he', useBias: true };
    expectFailure(
      denseOnly({ ...base, inputSize: 2 ** 20, outputSize: 2 ** 20 }),
      '$.layers[0].config.outputSize',
      'at most 67108864 weights in all, found 1048576×1048576',
    );
    expectFailure(
      denseOnly({ ...base, inputSize: 2 ** 21, outputSize: 1 }),
      '$.layers[0].config.inputSize',
      'found 2097152',
    );
    expectFailure(denseOnly({ ...base, inputSize: 1e300, outputSize: 1 }), '$.layers[0].config.inputSize', 'integer');
    expect(performance.now() - started).toBeLessThan(200);
  });

  it('many layers past maxParameters stop at the first one over the limit', () => {
    const dense = { type: 'Dense', config: { inputSize: 20, outputSize: 20, initializer: 'zeros', useBias: true } };
    const many = { format: 'mnist-ts/sequential', version: 1, layers: Array(100).fill(dense), weights: {} };
    // 420 parameters per layer: the third layer passes 1000.
    expectFailure(many, '$.layers[2]', 'the layers so far hold 1260 parameters, over maxParameters (1000)', {
      maxParameters: 1000,
    });
    const nested = { ...many, layers: [{ type: 'Sequential', config: { layers: Array(100).fill(dense) } }] };
    expectFailure(nested, '$.layers[0].config.layers[2]', 'over maxParameters (1000)', { maxParameters: 1000 });
  });

  it('a nested Sequential whose layers are not an array', () => {
    const nested = { format: 'mnist-ts/sequential', version: 1, weights: {} };
    expectFailure(
      { ...nested, layers: [{ type: 'Sequential', config: { layers: 5 } }] },
      '$.layers[0].config.layers',
      "Sequential config: 'layers' must be an array, found 5",
    );
    expectFailure(
      { ...nested, layers: [{ type: 'Sequential', config: { layers: [{ type: 'Nope', config: {} }] } }] },
      '$.layers[0].config.layers[0].type',
      "unknown layer type 'Nope'",
    );
  });

  it('missing weights, naming the parameter', () => {
    const f = file();
    delete f.weights['2.bias'];
    expectFailure(f, '$.weights', "missing the weights of parameter '2.bias'");
    expectFailure({ ...file(), weights: [] }, '$.weights', 'expected an object, found an array of 0');
    expectFailure({ ...file(), weights: undefined }, '$.weights', 'expected an object, found nothing');
  });

  it('extra weight names, listing the real ones', () => {
    const f = file();
    f.weights['9.weight'] = f.weights['0.bias'];
    expectFailure(
      f,
      '$.weights["9.weight"]',
      'the model has no parameter of this name; its parameters are 0.weight, 0.bias, 2.weight, 2.bias',
    );
  });

  it('a weight of the wrong shape, dtype or rank', () => {
    const f = file();
    f.weights['0.weight'].shape = [3, 2];
    expectFailure(f, '$.weights["0.weight"].shape', 'expected [2,3] for the layer as configured, found [3,2]');
    const g = file();
    g.weights['0.weight'] = { dtype: 'float32', shape: [6], data: g.weights['0.weight'].data };
    expectFailure(g, '$.weights["0.weight"].shape', 'found [6]');
    const h = file();
    h.weights['0.bias'].dtype = 'float64';
    expectFailure(h, '$.weights["0.bias"].dtype', 'expected "float32", found "float64"');
    const i = file();
    i.weights['0.bias'].shape = [-3];
    expectFailure(i, '$.weights["0.bias"].shape[0]', 'found -3');
    const j = file();
    j.weights['0.bias'].shape = '3';
    expectFailure(j, '$.weights["0.bias"].shape', 'expected an array, found "3"');
    const k = file();
    k.weights['0.bias'].shape = Array(9).fill(1);
    expectFailure(k, '$.weights["0.bias"].shape', 'expected at most 8 entries, found 9');
  });

  it('base64 of the wrong length fails on its length, before any decoding', () => {
    const f = file();
    f.weights['0.weight'].data = f.weights['0.weight'].data.slice(0, -4);
    expectFailure(f, '$.weights["0.weight"].data', 'expected 32 base64 characters for 6 float32 values, found 28');
    // Invalid characters of the wrong length report the length: it is checked first.
    const g = file();
    g.weights['0.weight'].data = '!'.repeat(2_000_000);
    const started = performance.now();
    expectFailure(g, '$.weights["0.weight"].data', 'found 2000000');
    expect(performance.now() - started).toBeLessThan(100);
  });

  it('invalid base64 characters or padding', () => {
    for (const data of [
      '!AACAPwAAAEAAAEBAAACAQAAAoEAAAMBA'.slice(0, 32),
      `${'A'.repeat(30)}=A`,
      `AA==${'A'.repeat(28)}`,
      `é${'A'.repeat(31)}`,
    ]) {
      const f = file();
      f.weights['0.weight'].data = data;
      expectFailure(f, '$.weights["0.weight"].data', 'is not valid base64');
    }
    const g = file();
    g.weights['0.bias'].data = 12;
    expectFailure(g, '$.weights["0.bias"].data', 'expected a base64 string, found 12');
  });

  it('NaN and infinite weight values', () => {
    for (const [value, shown] of [
      [Number.NaN, 'NaN'],
      [Number.POSITIVE_INFINITY, 'Infinity'],
      [Number.NEGATIVE_INFINITY, '-Infinity'],
    ] as const) {
      const f = file();
      f.weights['0.bias'].data = encodeFloat32(new Float32Array([0, value, 0]));
      expectFailure(f, '$.weights["0.bias"].data', `value 1 is ${shown}; weights must be finite`);
    }
  });

  it('weights over maxParameters', () => {
    // 2·3 + 3 + 3·2 + 2 = 17 parameters
    expect(Sequential.load(file(), { maxParameters: 17 }).parameterCount()).toBe(17);
    expectFailure(file(), '$.weights["2.bias"]', 'the weights exceed maxParameters (16)', { maxParameters: 16 });
    const f = file();
    f.weights['0.weight'] = { dtype: 'float32', shape: [2 ** 24, 2 ** 24], data: '' };
    expectFailure(f, '$.weights["0.weight"]', 'the weights exceed maxParameters');
  });

  it('an invalid training section', () => {
    const cases: [(f: ModelJson) => void, string, string][] = [
      [(f) => (f.training = 'yes'), '$.training', 'expected an object'],
      [
        (f) => (f.training.loss = 'hinge'),
        '$.training.loss',
        'expected one of categoricalCrossEntropy, meanSquaredError, found "hinge"',
      ],
      [(f) => (f.training.optimizer = null), '$.training.optimizer', 'expected an object, found null'],
      [
        (f) => (f.training.optimizer.type = 'Adamax'),
        '$.training.optimizer.type',
        'unknown optimizer "Adamax"; known: SGD, Momentum, Adam, AdamW, RMSprop, AdaGrad',
      ],
      [
        (f) => delete f.training.optimizer.config.momentum,
        '$.training.optimizer.config.momentum',
        "'momentum' must be a finite number",
      ],
      [
        (f) => (f.training.optimizer.config.momentum = 1.5),
        '$.training.optimizer.config',
        'momentum must be in [0, 1)',
      ],
      [
        (f) => (f.training.optimizer.iterations = -1),
        '$.training.optimizer.iterations',
        'expected a non-negative integer, found -1',
      ],
      [(f) => (f.training.optimizer.slots = []), '$.training.optimizer.slots', 'expected an object'],
      [
        (f) => (f.training.optimizer.slots['7.weight'] = f.training.optimizer.slots['0.bias']),
        '$.training.optimizer.slots["7.weight"]',
        'the model has no parameter of this name',
      ],
      [
        (f) => (f.training.optimizer.slots['0.bias'].velocity = 'AAAA'),
        '$.training.optimizer.slots["0.bias"]["velocity"]',
        'expected 16 base64 characters for 3 float32 values, found 4',
      ],
      [
        (f) => (f.training.optimizer.slots['0.bias'] = {}),
        '$.training.optimizer.slots',
        "slot 'velocity' of '0.bias' must hold 3 values, found none",
      ],
    ];
    for (const [corrupt, path, detail] of cases) {
      const f = file();
      corrupt(f);
      expectFailure(f, path, detail);
    }
  });

  it('a fromConfig that throws or builds the wrong type', () => {
    const f = file();
    f.layers[1].type = 'acme/Broken';
    const Broken = {
      fromConfig: () => {
        throw new Error('cannot');
      },
    };
    expectFailure(f, '$.layers[1].config', 'acme/Broken.fromConfig failed: cannot', {
      layers: { 'acme/Broken': Broken },
    });
    const Liar = { fromConfig: () => new ReLU() };
    expectFailure(f, '$.layers[1].type', "acme/Broken.fromConfig returned a layer of type 'ReLU'", {
      layers: { 'acme/Broken': Liar },
    });
  });
});

describe('__proto__ keys in a model file', () => {
  const polluting = '{"polluted": true}';

  function variants(): string[] {
    const text = JSON.stringify(file());
    return [
      text.replace('{"format"', `{"__proto__": ${polluting}, "format"`),
      text.replace('"weights":{', `"weights":{"__proto__": ${polluting},`),
      text.replace('"0.bias":{', `"0.bias":{"__proto__": ${polluting},`),
      text.replace('"config":{"inputSize"', `"config":{"__proto__": ${polluting}, "inputSize"`),
      text.replace('{"type":"ReLU"', `{"__proto__": ${polluting}, "type":"ReLU"`),
      text.replace('"training":{', `"training":{"__proto__": ${polluting},`),
      text.replace('"optimizer":{', `"optimizer":{"__proto__": ${polluting},`),
      text.replace('"slots":{', `"slots":{"__proto__": ${polluting},`),
      text.replace('"velocity":', `"__proto__": ${polluting}, "velocity":`),
      text.replace('"config":{"learningRate"', `"config":{"__proto__": ${polluting}, "learningRate"`),
    ];
  }

  it('do not pollute Object.prototype, whether the load succeeds or fails', () => {
    const texts = variants();
    for (const text of texts) expect(text).toContain('"__proto__"');
    expect(new Set(texts).size).toBe(texts.length);
    const outcomes = texts.map((text) => {
      try {
        Sequential.load(text);
        return 'loaded';
      } catch (error) {
        expect(error).toBeInstanceOf(ModelFormatError);
        return (error as ModelFormatError).path;
      }
    });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.hasOwn(Object.prototype, 'polluted')).toBe(false);
    // Extra keys in a layer's or optimizer's config are ignored; an extra weight, slot holder or slot is refused.
    expect(outcomes).toEqual([
      'loaded',
      '$.weights["__proto__"].dtype',
      'loaded',
      'loaded',
      'loaded',
      'loaded',
      'loaded',
      '$.training.optimizer.slots["__proto__"]',
      '$.training.optimizer.slots["0.weight"]["__proto__"]',
      'loaded',
    ]);
  });
});
