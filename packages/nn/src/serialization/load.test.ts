import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  Adam,
  BatchNorm,
  Conv2D,
  Dense,
  Dropout,
  Flatten,
  LeakyReLU,
  type LoadOptions,
  loadModel,
  MaxPool2D,
  ModelFormatError,
  Momentum,
  type Optimizer,
  ReLU,
  RMSprop,
  Sequential,
  Sigmoid,
  Softmax,
} from '../index.js';
import { encodeFloat32 } from './base64.js';
import { countFloat32Allocations } from './float32-allocations.fixture.js';
import { UNPAID_ALLOWANCE } from './layer-builder.js';

// biome-ignore lint/suspicious/noExplicitAny: the tests corrupt arbitrary fields of a parsed model file
type ModelJson = Record<string, any>;

/** Loads `data` and returns the ModelFormatError it must throw. */
function formatError(data: unknown, options: LoadOptions = {}): ModelFormatError {
  try {
    loadModel(data, options);
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

/** Runs `run`, rethrowing what it throws, and returns what it allocated as Float32Arrays. */
function allocationsOf(run: () => void): { total: number; largest: number } {
  const counted = countFloat32Allocations(run);
  if ('error' in counted) throw counted.error;
  return counted;
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

describe('loadModel of untrusted input: every failure is a ModelFormatError naming the JSON path', () => {
  it('loads the valid file these cases start from', () => {
    expect(loadModel(file()).layers).toHaveLength(4);
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
    const loaded = loadModel(old);
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
    const base = { initializer: 'he', useBias: true };
    const { largest } = allocationsOf(() => {
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
    });
    expect(largest).toBe(0);
  });

  it('many layers past maxParameters stop at the first one over the limit, before allocating it', () => {
    const dense = { type: 'Dense', config: { inputSize: 20, outputSize: 20, initializer: 'zeros', useBias: true } };
    const many = { format: 'mnist-ts/sequential', version: 1, layers: Array(100).fill(dense), weights: {} };
    // 420 parameters per layer: the third layer passes 1000.
    expectFailure(
      many,
      '$.layers[2].config',
      'Dense would allocate 420 float32 values for its parameters and state after the 840 of the layers before it, over maxParameters (1000)',
      { maxParameters: 1000 },
    );
    const nested = { ...many, layers: [{ type: 'Sequential', config: { layers: Array(100).fill(dense) } }] };
    expectFailure(nested, '$.layers[0].config.layers[2].config', 'over maxParameters (1000)', { maxParameters: 1000 });
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
    expectFailure(
      f,
      '$.weights["0.weight"].data',
      'expected 6 float32 values for shape [2, 3], found 21 bytes, not a whole number of float32 values (28 base64 characters where 32 were expected)',
    );
    // Invalid characters of the wrong length report the length: it is checked first.
    const g = file();
    g.weights['0.weight'].data = '!'.repeat(2_000_000);
    const { total } = allocationsOf(() =>
      expectFailure(g, '$.weights["0.weight"].data', 'found 375000 (2000000 base64 characters where 32 were expected)'),
    );
    expect(total).toBe(0);
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

  it('a maxParameters option that is not a count is a programming error', () => {
    for (const maxParameters of [-1, 0.5, Number.NaN]) {
      expect(() => loadModel(file(), { maxParameters })).toThrow(
        new RangeError(`loadModel: maxParameters must be an integer ≥ 0, found ${maxParameters}`),
      );
    }
    expect(loadModel(file(), { maxParameters: Number.POSITIVE_INFINITY }).parameterCount()).toBe(17);
  });

  it('weights over maxParameters', () => {
    // 2·3 + 3 + 3·2 + 2 = 17 parameters
    expect(loadModel(file(), { maxParameters: 17 }).parameterCount()).toBe(17);
    expectFailure(file(), '$.weights["2.bias"]', 'the weights and state exceed maxParameters (16)', {
      maxParameters: 16,
    });
    const f = file();
    f.weights['0.weight'] = { dtype: 'float32', shape: [2 ** 24, 2 ** 24], data: '' };
    expectFailure(f, '$.weights["0.weight"]', 'the weights and state exceed maxParameters');
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
        'expected 3 float32 values for shape [3], found 3 bytes, not a whole number of float32 values',
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
        loadModel(text);
        return 'loaded';
      } catch (error) {
        expect(error).toBeInstanceOf(ModelFormatError);
        return (error as ModelFormatError).path;
      }
    });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.hasOwn(Object.prototype, 'polluted')).toBe(false);
    // Every object of a model file has a fixed set of fields, so a __proto__ key is refused wherever it is.
    expect(outcomes).toEqual([
      '$.__proto__',
      '$.weights["__proto__"].polluted',
      '$.weights["0.bias"].__proto__',
      '$.layers[0].config.__proto__',
      '$.layers[1].__proto__',
      '$.training.__proto__',
      '$.training.optimizer.__proto__',
      '$.training.optimizer.slots["__proto__"]',
      '$.training.optimizer.slots["0.weight"]["__proto__"]',
      '$.training.optimizer.config.__proto__',
    ]);
  });
});

describe('what a file declares is checked before anything is allocated', () => {
  it('a 165-byte file declaring Dense(8192, 8192) and no weights is rejected without allocating the layer', () => {
    const text = JSON.stringify({
      format: 'mnist-ts/sequential',
      version: 1,
      layers: [{ type: 'Dense', config: { inputSize: 8192, outputSize: 8192, initializer: 'he', useBias: true } }],
      weights: {},
    });
    expect(text.length).toBe(165);
    const { error, largest, total } = countFloat32Allocations(() => loadModel(text));
    expect(largest).toBe(0);
    expect(total).toBe(0);
    expect(error).toBeInstanceOf(ModelFormatError);
    expect((error as ModelFormatError).message).toBe(
      "$.layers[0].config: Dense would allocate 67117056 float32 values for its parameters and state, but the file's weights and state hold only 0 (a model file holds every value its layers allocate)",
    );
  });
});

describe('layers must chain', () => {
  it('a layer whose input size is not the previous output size is rejected, naming both sizes', () => {
    const text = JSON.stringify(new Sequential([new Dense(2, 3), new ReLU(), new Dense(4, 2)]).save());
    expectFailure(
      text,
      '$.layers[2]',
      'Dense takes 4 input features (inputSize), but the layers before it output 3, [batch, 3]',
    );
  });

  it('a model without layers is rejected', () => {
    expectFailure(JSON.stringify(new Sequential([]).save()), '$.layers', 'expected at least one layer, found none');
  });
});

describe('unknown fields are rejected with their JSON path', () => {
  const cases: [(f: ModelJson) => void, string, string][] = [
    [(f) => (f.extra = 1), '$.extra', 'unknown field; a model file has only format, version, layers, weights, state'],
    [(f) => (f.layers[0].extra = 3), '$.layers[0].extra', 'unknown field; a layer has only type, config (found 3)'],
    [
      (f) => (f.layers[0].config.units = 3),
      '$.layers[0].config.units',
      "Dense config: 'units' must be absent: Dense has no field of this name (its fields are inputSize, outputSize, initializer, useBias, l2), found 3",
    ],
    [
      (f) => (f.layers[1].config.slope = 3),
      '$.layers[1].config.slope',
      "ReLU config: 'slope' must be absent: ReLU has no field of this name (it has none), found 3",
    ],
    [(f) => (f.weights['0.bias'].extra = 3), '$.weights["0.bias"].extra', 'a tensor entry has only dtype, shape, data'],
    [(f) => (f.training.extra = 3), '$.training.extra', 'the training section has only loss, random, optimizer'],
    [(f) => (f.training.optimizer.extra = 3), '$.training.optimizer.extra', 'an optimizer has only type, config'],
    [
      (f) => (f.training.optimizer.config.extra = 3),
      '$.training.optimizer.config.extra',
      "Momentum config: 'extra' must be absent",
    ],
  ];
  for (const [corrupt, path, detail] of cases) {
    it(path, () => {
      const f = file();
      corrupt(f);
      expectFailure(f, path, detail);
    });
  }
});

describe('integrity of the weights', () => {
  it('a changed base64 character is rejected, naming the tensor, instead of loading as different weights', () => {
    const f = file();
    const data: string = f.weights['0.weight'].data;
    // The first character of a group holds the low bits of a little-endian float: the value stays finite.
    f.weights['0.weight'].data = (data[0] === 'A' ? 'B' : 'A') + data.slice(1);
    expectFailure(
      f,
      '$.weights["0.weight"].data',
      /: the data does not match its checksum \(crc32 "[0-9a-f]{8}" in the file, "[0-9a-f]{8}" computed\): the file is damaged$/,
    );
  });

  it('every single-character change of every tensor of a file is caught', () => {
    const text = JSON.stringify(new Sequential([new Dense(2, 3), new BatchNorm(3)], { seed: 2 }).save());
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=';
    const parsed = JSON.parse(text);
    for (const section of ['weights', 'state'] as const) {
      for (const [name, entry] of Object.entries(parsed[section] as Record<string, { data: string }>)) {
        for (let i = 0; i < entry.data.length; i++) {
          for (const c of alphabet) {
            if (c === entry.data[i]) continue;
            const f = JSON.parse(text);
            f[section][name].data = entry.data.slice(0, i) + c + entry.data.slice(i + 1);
            expect(formatError(f).path).toBe(`$.${section}[${JSON.stringify(name)}].data`);
          }
        }
      }
    }
  });

  it('files written before the checksum existed still load, to the same model', () => {
    const model = new Sequential([new Dense(2, 3), new BatchNorm(3)], { seed: 2 });
    const f = JSON.parse(JSON.stringify(model.save()));
    for (const entry of [...Object.values(f.weights), ...Object.values(f.state)]) delete (entry as ModelJson).crc32;
    const loaded = loadModel(f);
    expect(loaded.params().every((p, i) => p.value.equals(model.params()[i].value))).toBe(true);
    expect(JSON.stringify(loaded.save())).toBe(JSON.stringify(model.save()));
  });
});

describe('messages', () => {
  it('1e400 is shown as Infinity, not null', () => {
    const text = JSON.stringify(file()).replace('"inputSize":2', '"inputSize":1e400');
    expectFailure(text, '$.layers[0].config.inputSize', 'found Infinity');
    const version = JSON.stringify(file()).replace('"version":1', '"version":1e400');
    expectFailure(version, '$.version', 'this library reads version 1, found Infinity');
    const iterations = JSON.stringify(file()).replace('"iterations":1', '"iterations":1e400');
    expectFailure(iterations, '$.training.optimizer.iterations', 'expected a non-negative integer, found Infinity');
  });

  it('50 000 nested Sequentials give one short error about the depth', () => {
    let layer: unknown = { type: 'ReLU', config: {} };
    for (let i = 0; i < 50_000; i++) layer = { type: 'Sequential', config: { layers: [layer] } };
    const error = formatError({ format: 'mnist-ts/sequential', version: 1, layers: [layer], weights: {} });
    expect(error.path).toBe(`$.layers[0]${'.config.layers[0]'.repeat(17)}`);
    expect(error.detail).toBe('layers nest more than 16 containers deep, the most a model file may');
    expect(error.message.length).toBeLessThan(400);
  });

  it('a weight of the wrong length says how many float32 values were expected and found', () => {
    const f = file();
    f.weights['0.weight'].data = encodeFloat32(new Float32Array(5));
    expectFailure(
      f,
      '$.weights["0.weight"].data',
      'expected 6 float32 values for shape [2, 3], found 5 (28 base64 characters where 32 were expected)',
    );
  });
});

describe('properties: every mutation of a valid file loads as a model or fails with one ModelFormatError', () => {
  type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
  type Path = (string | number)[];

  function saved(model: Sequential, optimizer: Optimizer): string {
    model.compile({ loss: 'categoricalCrossEntropy', optimizer });
    optimizer.step(model.params()); // creates the optimizer's slots
    return JSON.stringify(model.save({ includeOptimizer: true }));
  }

  const files = [
    saved(new Sequential([new Dense(3, 4), new ReLU(), new Dense(4, 2), new Softmax()], { seed: 1 }), new Momentum()),
    saved(
      new Sequential(
        [new Conv2D(1, 2, 3, { padding: 1 }), new MaxPool2D(2), new Flatten(), new Dense(8, 3), new Softmax()],
        { seed: 2 },
      ),
      new Adam(),
    ),
    saved(
      new Sequential(
        [
          new Dense(3, 4),
          new BatchNorm(4),
          new LeakyReLU(),
          new Dropout(0.2),
          new Sequential([new Dense(4, 2), new Sigmoid()]),
        ],
        { seed: 3 },
      ),
      new RMSprop({ momentum: 0.5 }),
    ),
  ];

  /** Loads `text`, checking the outcome and that it allocated no more than the text pays for. */
  function outcome(text: string): 'loaded' | 'rejected' {
    const counted = countFloat32Allocations(() => loadModel(text));
    // Each float32 value in the file costs 16/3 base64 characters; a model allocates its parameters twice (value and
    // gradient) and a few small buffers, plus at most the loader's fixed allowance for values the file lacks.
    expect(counted.total).toBeLessThanOrEqual(text.length + 4 * UNPAID_ALLOWANCE);
    if ('error' in counted) {
      expect(counted.error).toBeInstanceOf(ModelFormatError);
      return 'rejected';
    }
    expect(counted.result).toBeInstanceOf(Sequential);
    JSON.stringify(counted.result?.save());
    return 'loaded';
  }

  function pathsOf(value: Json, prefix: Path = [], out: Path[] = []): Path[] {
    if (value !== null && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) {
        const path = [...prefix, Array.isArray(value) ? Number(key) : key];
        out.push(path);
        pathsOf(child, path, out);
      }
    }
    return out;
  }

  function valueAt(text: string, path: Path): Json {
    return path.reduce<Json>((value, key) => (value as Record<string | number, Json>)[key], JSON.parse(text));
  }

  /** Applies `change` to the value at `path` of a copy of `text`'s JSON; `undefined` deletes it. */
  function mutate(text: string, path: Path, change: (old: Json) => Json | undefined): string {
    const root = JSON.parse(text) as Json;
    let parent = root as Record<string | number, Json>;
    for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, Json>;
    const last = path[path.length - 1];
    const value = change(parent[last]);
    if (value !== undefined) parent[last] = value;
    else if (Array.isArray(parent)) parent.splice(last as number, 1);
    else delete parent[last];
    return JSON.stringify(root);
  }

  const extremeNumber = fc.constantFrom(0, -0, -1, 0.5, 1e-320, 2 ** 20, 2 ** 24, 2 ** 32, 2 ** 53 + 2, 1e308, -1e308);
  const anyJson: fc.Arbitrary<Json> = fc.oneof(
    fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>,
    extremeNumber,
    fc.constantFrom<Json>('', 'Dense', 'Sequential', 'float32', [], {}, [8192, 8192], { type: 'ReLU', config: {} }),
  );
  const fieldName = fc.oneof(
    fc.constantFrom('type', 'config', 'layers', 'weights', 'state', 'crc32', 'inputSize', '__proto__', 'constructor'),
    fc.string({ maxLength: 8 }),
  );
  function nested(depth: number, inner: Json): Json {
    let value = inner;
    for (let i = 0; i < depth; i++) value = { type: 'Sequential', config: { layers: [value] } };
    return value;
  }

  const structural = fc.integer({ min: 0, max: files.length - 1 }).chain((f) => {
    const paths = pathsOf(JSON.parse(files[f]));
    return fc.tuple(
      fc.constant(files[f]),
      fc.constantFrom(...paths),
      fc.oneof(
        fc.constant((): Json | undefined => undefined),
        anyJson.map((v) => (): Json => v),
        fc.tuple(fieldName, anyJson).map(
          ([key, v]) =>
            (old: Json): Json =>
              old !== null && typeof old === 'object' && !Array.isArray(old) ? { ...old, [key]: v } : [old, v],
        ),
        fc.integer({ min: 1, max: 300 }).map(
          (depth) =>
            (old: Json): Json =>
              nested(depth, old),
        ),
        fc.integer({ min: 1, max: 2000 }).map((depth) => (old: Json): Json => {
          let value = old;
          for (let i = 0; i < depth; i++) value = [value];
          return value;
        }),
        fc.constant((old: Json): Json => (typeof old === 'string' ? Number(old) || old.length : String(old))),
      ),
    );
  });

  it('deleted, added and replaced fields, swapped types, extreme numbers and deep nesting', () => {
    fc.assert(
      fc.property(structural, ([text, path, change]) => {
        outcome(mutate(text, path, change));
      }),
      { seed: 1301, numRuns: 400 },
    );
  });

  it('layer sizes grown far beyond what the file holds weights for', () => {
    const sizes = files.map((text) =>
      pathsOf(JSON.parse(text)).filter((path) => path.includes('config') && typeof valueAt(text, path) === 'number'),
    );
    fc.assert(
      fc.property(
        fc
          .integer({ min: 0, max: files.length - 1 })
          .chain((f) =>
            fc.tuple(
              fc.constant(files[f]),
              fc.uniqueArray(fc.constantFrom(...sizes[f]), { minLength: 1, maxLength: 3 }),
            ),
          ),
        fc.constantFrom(4096, 8192, 65_536, 2 ** 20),
        ([text, paths], size) => {
          outcome(paths.reduce((mutated, path) => mutate(mutated, path, () => size), text));
        },
      ),
      { seed: 1305, numRuns: 100 },
    );
  });

  it('numbers written out of range in the text (1e400 parses as Infinity)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...files),
        fc.nat(),
        fc.constantFrom('1e400', '-1e400', '1e-400', '123456789012345678901234567890', '-0', '0.5'),
        (text, n, replacement) => {
          const numbers = [...text.matchAll(/(?<=[:,[])-?\d+(\.\d+)?(e-?\d+)?/g)];
          const match = numbers[n % numbers.length];
          outcome(text.slice(0, match.index) + replacement + text.slice((match.index ?? 0) + match[0].length));
        },
      ),
      { seed: 1302, numRuns: 300 },
    );
  });

  it('a changed base64 character is always rejected', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=!é';
    fc.assert(
      fc.property(fc.constantFrom(...files), fc.nat(), fc.nat(), fc.constantFrom(...alphabet), (text, d, i, c) => {
        const data = [...text.matchAll(/"data":"([^"]+)"/g)];
        const match = data[d % data.length];
        const at = (match.index ?? 0) + '"data":"'.length + (i % match[1].length);
        fc.pre(text[at] !== c);
        expect(outcome(text.slice(0, at) + c + text.slice(at + 1))).toBe('rejected');
      }),
      { seed: 1303, numRuns: 300 },
    );
  });

  it('a truncated text is always rejected', () => {
    fc.assert(
      fc.property(fc.constantFrom(...files), fc.nat(), (text, n) => {
        expect(outcome(text.slice(0, n % text.length))).toBe('rejected');
      }),
      { seed: 1304, numRuns: 300 },
    );
  });
});
