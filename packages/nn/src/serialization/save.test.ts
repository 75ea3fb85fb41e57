import { Random, randomNormal, type Shape, type Tensor } from '@mnist/tensor';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../config-error.js';
import {
  AdaGrad,
  Adam,
  AdamW,
  createParam,
  Dense,
  Dropout,
  Flatten,
  GELU,
  type Layer,
  type LayerConfig,
  LayerStateError,
  LeakyReLU,
  loadModel,
  MODEL_FORMAT,
  MODEL_VERSION,
  ModelFormatError,
  Momentum,
  type Optimizer,
  type Param,
  ReLU,
  RMSprop,
  Sequential,
  SGD,
  Sigmoid,
  Softmax,
  Tanh,
} from '../index.js';

/** `y = x ⊙ s`, one trainable factor per feature: the custom layer of the docs, with a namespaced type. */
class Scale implements Layer {
  static readonly type = 'acme/Scale';
  readonly type = Scale.type;
  readonly scale: Param;
  private input: Tensor | undefined;

  constructor(readonly size: number) {
    this.scale = createParam('scale', [size]);
    this.scale.value.fill(1);
  }

  static fromConfig(config: LayerConfig): Scale {
    const size = config.size;
    if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 1 || size > 4096) {
      throw new ConfigError(Scale.type, 'size', 'an integer in [1, 4096]', JSON.stringify(size) ?? 'nothing');
    }
    return new Scale(size);
  }

  forward(x: Tensor): Tensor {
    this.input = x;
    const y = x.clone();
    for (let i = 0; i < y.size; i++) y.data[i] *= this.scale.value.data[i % this.size];
    return y;
  }

  backward(dy: Tensor): Tensor {
    const x = this.input;
    if (!x) throw new LayerStateError(Scale.type, 'backward called before forward');
    const dx = dy.clone();
    for (let i = 0; i < dy.size; i++) {
      this.scale.grad.data[i % this.size] += dy.data[i] * x.data[i];
      dx.data[i] *= this.scale.value.data[i % this.size];
    }
    return dx;
  }

  params(): Param[] {
    return [this.scale];
  }

  config(): LayerConfig {
    return { size: this.size };
  }

  outputShape(inputShape: Shape): Shape {
    return inputShape;
  }
}

const x = randomNormal([24, 4], new Random(1));
const labels = Uint8Array.from({ length: 24 }, (_, i) => (x.data[4 * i] > 0 ? 1 : 0) + (x.data[4 * i + 1] > 0 ? 1 : 0));

function classifier(seed = 1): Sequential {
  return new Sequential([new Dense(4, 8), new ReLU(), new Dense(8, 3), new Softmax()], { seed }).compile({
    loss: 'categoricalCrossEntropy',
    optimizer: new Momentum({ learningRate: 0.1, nesterov: true }),
  });
}

describe('save', () => {
  it('writes the format, version, layers and every weight as base64 float32', () => {
    const model = new Sequential([new Dense(2, 3, { useBias: false }), new ReLU()]);
    (model.layers[0] as Dense).weight.value.data.set([1, 2, 3, 4, 5, 6]);
    const file = model.save();
    expect(file).toEqual({
      format: MODEL_FORMAT,
      version: MODEL_VERSION,
      layers: [
        { type: 'Dense', config: { inputSize: 2, outputSize: 3, initializer: 'he', useBias: false, l2: 0 } },
        { type: 'ReLU', config: {} },
      ],
      weights: {
        // Little-endian float32 bytes of 1, 2, 3, 4, 5, 6, and their CRC-32 (Node's zlib.crc32 agrees).
        '0.weight': { dtype: 'float32', shape: [2, 3], data: 'AACAPwAAAEAAAEBAAACAQAAAoEAAAMBA', crc32: '1939e524' },
      },
    });
    expect(file.format).toBe('mnist-ts/sequential');
    expect(file.version).toBe(1);
    expect(JSON.parse(JSON.stringify(file))).toEqual(file);
  });

  it('includeOptimizer needs a compiled model', () => {
    expect(() => new Sequential([new Dense(2, 2)]).save({ includeOptimizer: true })).toThrow('call compile');
  });

  it('includeOptimizer writes the loss name and the optimizer’s config, step count and slots', async () => {
    const model = classifier();
    await model.fit(x, labels, { epochs: 1, batchSize: 8 });
    const training = model.save({ includeOptimizer: true }).training;
    expect(training?.loss).toBe('categoricalCrossEntropy');
    expect(training?.optimizer.type).toBe('Momentum');
    expect(training?.optimizer.config).toEqual({ learningRate: 0.1, momentum: 0.9, form: 'average', nesterov: true });
    expect(training?.optimizer.iterations).toBe(3);
    expect(Object.keys(training?.optimizer.slots ?? {})).toEqual(['0.weight', '0.bias', '2.weight', '2.bias']);
    expect(Object.keys(training?.optimizer.slots['0.weight'] ?? {})).toEqual(['velocity']);
    expect(model.save().training).toBeUndefined();
  });
});

describe('save → load', () => {
  it('predicts identically', async () => {
    const model = classifier();
    await model.fit(x, labels, { epochs: 2, batchSize: 8 });
    const loaded = loadModel(JSON.stringify(model.save()));
    expect(loaded.predict(x).equals(model.predict(x))).toBe(true);
    expect(loaded.params().map((p) => p.name)).toEqual(model.params().map((p) => p.name));
    // The parsed object loads too.
    expect(loadModel(model.save()).predict(x).equals(model.predict(x))).toBe(true);
  });

  it('save → load → save gives identical JSON text, with and without the optimizer', async () => {
    const model = classifier();
    await model.fit(x, labels, { epochs: 2, batchSize: 8 });
    for (const includeOptimizer of [false, true]) {
      const text = JSON.stringify(model.save({ includeOptimizer }));
      expect(JSON.stringify(loadModel(text).save({ includeOptimizer }))).toBe(text);
    }
  });

  it('restores the loss and the optimizer, compiled', async () => {
    const model = classifier();
    await model.fit(x, labels, { epochs: 1, batchSize: 8 });
    const loaded = loadModel(JSON.stringify(model.save({ includeOptimizer: true })));
    const { loss, optimizer } = loaded.compiled('test');
    expect(loss.name).toBe('categoricalCrossEntropy');
    expect(optimizer).toBeInstanceOf(Momentum);
    expect(optimizer.iterations).toBe(3);
    expect(optimizer.config()).toEqual(model.training.optimizer?.config());
    expect(() => loadModel(JSON.stringify(model.save())).compiled('fit')).toThrow('call compile');
  });

  it('resumed training continues bit-identically to an uninterrupted run, shuffles included', async () => {
    // The file holds the model generator's state, so the resumed run draws the same shuffles.
    const options = { epochs: 2, batchSize: 8 } as const;
    const uninterrupted = classifier();
    await uninterrupted.fit(x, labels, options);
    const text = JSON.stringify(uninterrupted.save({ includeOptimizer: true }));
    await uninterrupted.fit(x, labels, options);

    const resumed = loadModel(text);
    await resumed.fit(x, labels, options);
    uninterrupted.params().forEach((p, i) => {
      expect(resumed.params()[i].value.equals(p.value)).toBe(true);
    });
    expect(resumed.training.optimizer?.iterations).toBe(12);

    // Without the optimizer state (the velocities start again at zero) the run differs.
    const restarted = loadModel({ ...JSON.parse(text), training: undefined });
    restarted.compile({
      loss: 'categoricalCrossEntropy',
      optimizer: new Momentum({ learningRate: 0.1, nesterov: true }),
    });
    await restarted.fit(x, labels, options);
    expect(restarted.params()[0].value.equals(uninterrupted.params()[0].value)).toBe(false);
  });

  it('resumes an SGD run too', async () => {
    const options = { epochs: 1, batchSize: 8, shuffle: false } as const;
    const a = new Sequential([new Dense(4, 3), new Softmax()], { seed: 1 }).compile({
      loss: 'meanSquaredError',
      optimizer: new SGD({ learningRate: 0.5 }),
    });
    await a.fit(x, labels, options);
    const b = loadModel(JSON.stringify(a.save({ includeOptimizer: true })));
    expect(b.training.loss?.name).toBe('meanSquaredError');
    await a.fit(x, labels, options);
    await b.fit(x, labels, options);
    a.params().forEach((p, i) => {
      expect(b.params()[i].value.equals(p.value)).toBe(true);
    });
  });

  it.each<[string, () => Optimizer]>([
    ['Adam', () => new Adam({ learningRate: 0.01 })],
    ['AdamW', () => new AdamW({ learningRate: 0.01, weightDecay: 0.1 })],
    ['RMSprop with momentum', () => new RMSprop({ learningRate: 0.01, momentum: 0.9 })],
    ['AdaGrad', () => new AdaGrad({ learningRate: 0.1, initialAccumulator: 0.1 })],
    ['Momentum with gradient clipping', () => new Momentum({ learningRate: 0.1, gradientClipNorm: 0.5 })],
  ])('resumes a %s run bit-identically from a file saved with includeOptimizer', async (_, optimizer) => {
    const options = { epochs: 1, batchSize: 8 } as const;
    const a = new Sequential([new Dense(4, 8), new ReLU(), new Dense(8, 3), new Softmax()], { seed: 1 }).compile({
      loss: 'categoricalCrossEntropy',
      optimizer: optimizer(),
    });
    await a.fit(x, labels, options);
    const text = JSON.stringify(a.save({ includeOptimizer: true }));
    const b = loadModel(text);
    expect(JSON.stringify(b.save({ includeOptimizer: true }))).toBe(text);
    expect(b.training.optimizer?.constructor).toBe(a.training.optimizer?.constructor);
    expect(b.training.optimizer?.config()).toEqual(a.training.optimizer?.config());
    await a.fit(x, labels, options);
    await b.fit(x, labels, options);
    a.params().forEach((p, i) => {
      expect(b.params()[i].value.equals(p.value)).toBe(true);
    });
  });

  it('round-trips and resumes a model with every activation, Flatten, Dropout and L2', async () => {
    const images = x.reshape([24, 2, 2]);
    const build = () =>
      new Sequential(
        [
          new Flatten(),
          new Dense(4, 8, { l2: 0.01 }),
          new LeakyReLU({ slope: 0.1 }),
          new Dropout(0.25),
          new Dense(8, 6),
          new Sigmoid(),
          new Dense(6, 5),
          new Tanh(),
          new GELU(),
          new Dense(5, 3),
          new Softmax(),
        ],
        { seed: 3 },
      ).compile({ loss: 'categoricalCrossEntropy', optimizer: new AdamW({ learningRate: 0.01 }) });
    const options = { epochs: 1, batchSize: 8 } as const;
    const a = build();
    await a.fit(images, labels, options);
    const text = JSON.stringify(a.save({ includeOptimizer: true }));
    const b = loadModel(text);
    expect(JSON.stringify(b.save({ includeOptimizer: true }))).toBe(text);
    expect(b.layers.map((layer) => layer.type)).toEqual(a.layers.map((layer) => layer.type));
    expect(b.predict(images).equals(a.predict(images))).toBe(true);
    // The generator's state is in the file, so the resumed run draws the same shuffles and dropout masks.
    await a.fit(images, labels, options);
    await b.fit(images, labels, options);
    a.params().forEach((p, i) => {
      expect(b.params()[i].value.equals(p.value)).toBe(true);
    });
  });

  it('round-trips a nested Sequential', () => {
    const model = new Sequential([new Sequential([new Dense(4, 5), new ReLU()]), new Dense(5, 2), new Softmax()], {
      seed: 4,
    });
    const text = JSON.stringify(model.save());
    const loaded = loadModel(text);
    expect(loaded.layers[0]).toBeInstanceOf(Sequential);
    expect(loaded.predict(x).equals(model.predict(x))).toBe(true);
    expect(JSON.stringify(loaded.save())).toBe(text);
  });
});

describe('custom layers', () => {
  function customModel(): Sequential {
    const scale = new Scale(8);
    scale.scale.value.data.set([0.5, 1, 1.5, 2, -1, 3, 0.25, 1]);
    return new Sequential([new Dense(4, 8, { seed: 2 }), scale, new Dense(8, 3, { seed: 3 }), new Softmax()]);
  }

  it('round-trip when their class is passed by type', () => {
    const model = customModel();
    const text = JSON.stringify(model.save());
    expect(JSON.parse(text).layers[1]).toEqual({ type: 'acme/Scale', config: { size: 8 } });
    const loaded = loadModel(text, { layers: { 'acme/Scale': Scale } });
    expect(loaded.layers[1]).toBeInstanceOf(Scale);
    expect(loaded.params().map((p) => p.name)).toContain('1.scale');
    expect(loaded.predict(x).equals(model.predict(x))).toBe(true);
    expect(JSON.stringify(loaded.save())).toBe(text);
  });

  it('fail with a ModelFormatError listing the known types when their class is not passed', () => {
    const text = JSON.stringify(customModel().save());
    let error: unknown;
    try {
      loadModel(text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ModelFormatError);
    expect((error as ModelFormatError).path).toBe('$.layers[1].type');
    expect((error as Error).message).toContain(
      "unknown layer type 'acme/Scale'; known types: Dense, Conv2D, MaxPool2D, AvgPool2D, ReLU, LeakyReLU, Sigmoid, Tanh, GELU, Softmax, Flatten, Dropout, BatchNorm, Sequential",
    );
    expect((error as Error).message).toContain("{ layers: { 'acme/Scale': YourClass } }");
  });

  it('report their ConfigError at the field’s JSON path', () => {
    const file = customModel().save();
    file.layers[1].config.size = 'eight';
    expect(() => loadModel(file, { layers: { 'acme/Scale': Scale } })).toThrow(
      expect.objectContaining({ name: 'ModelFormatError', path: '$.layers[1].config.size' }),
    );
  });

  it('a class without fromConfig is a programming error, not a format error', () => {
    expect(() => loadModel(customModel().save(), { layers: { 'acme/Scale': {} as never } })).toThrow(
      new TypeError("loadModel: the class given for layer type 'acme/Scale' has no static fromConfig"),
    );
  });
});
