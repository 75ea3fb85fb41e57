import { oneHot, Random, randomNormal, ShapeError, Tensor } from '@mnist/tensor';
import { describe, expect, it } from 'vitest';
import {
  type BatchLogs,
  type Callback,
  CrossEntropy,
  Dense,
  type EpochLogs,
  MeanSquaredError,
  Momentum,
  NonFiniteLossError,
  ReLU,
  Sequential,
  SGD,
  Softmax,
  type Targets,
  trainStep,
} from '../index.js';
import type { BatchSource, TrainingBatch } from './batches.js';
import { ConcurrentFitError } from './concurrent-fit-error.js';
import { TrainingDataError } from './training-data-error.js';

/** `n` seeded examples of 4 features, labelled 0–2 by the signs of the first two features. */
function dataset(n: number, seed = 1): { x: Tensor; labels: Uint8Array } {
  const x = randomNormal([n, 4], new Random(seed));
  const labels = Uint8Array.from(
    { length: n },
    (_, i) => (x.data[4 * i] > 0 ? 1 : 0) + (x.data[4 * i + 1] > 0 ? 1 : 0),
  );
  return { x, labels };
}

function classifier(seed = 1, learningRate = 0.1): Sequential {
  return new Sequential([new Dense(4, 16), new ReLU(), new Dense(16, 3), new Softmax()], { seed }).compile({
    loss: 'categoricalCrossEntropy',
    optimizer: new Momentum({ learningRate }),
  });
}

function snapshot(model: Sequential): Tensor[] {
  return model.params().map((p) => p.value.clone());
}

function sameWeights(model: Sequential, weights: readonly Tensor[]): boolean {
  return model.params().every((p, i) => p.value.equals(weights[i]));
}

function rows(x: Tensor, start: number, end: number): Tensor {
  const width = x.size / x.shape[0];
  return new Tensor(x.data.slice(start * width, end * width), [end - start, ...x.shape.slice(1)]);
}

describe('fit history', () => {
  it('returns one entry per epoch with the loss, accuracy and learning rate, and lowers the loss', async () => {
    const { x, labels } = dataset(200);
    const model = classifier();
    const before = model.evaluate(x, labels).loss;
    const history = await model.fit(x, labels, { epochs: 5, batchSize: 16 });
    expect(history.epochs.map((e) => e.epoch)).toEqual([0, 1, 2, 3, 4]);
    for (const e of history.epochs) {
      expect(Number.isFinite(e.loss)).toBe(true);
      expect(e.accuracy).toBeGreaterThanOrEqual(0);
      expect(e.accuracy).toBeLessThanOrEqual(1);
      expect(e.learningRate).toBe(0.1);
      expect(e.seconds).toBeGreaterThanOrEqual(0);
      expect(e.valLoss).toBeUndefined();
      expect(e.valAccuracy).toBeUndefined();
    }
    expect(history.epochs[4].loss).toBeLessThan(history.epochs[0].loss);
    expect(model.evaluate(x, labels).loss).toBeLessThan(0.7 * before);
    expect(history.epochs[4].accuracy).toBeGreaterThan(0.8);
  });

  it('logs the epoch loss and accuracy as the size-weighted means of its batches', async () => {
    const { x, labels } = dataset(50);
    const batches: BatchLogs[] = [];
    const history = await classifier().fit(x, labels, {
      epochs: 1,
      batchSize: 16,
      callbacks: [{ onBatchEnd: (logs) => void batches.push(logs) }],
    });
    expect(batches.map((b) => b.size)).toEqual([16, 16, 16, 2]);
    const loss = batches.reduce((s, b) => s + b.loss * b.size, 0) / 50;
    const accuracy = batches.reduce((s, b) => s + b.accuracy * b.size, 0) / 50;
    expect(history.epochs[0].loss).toBeCloseTo(loss, 10);
    expect(history.epochs[0].accuracy).toBeCloseTo(accuracy, 10);
  });

  it('with epochs 0 trains nothing and returns an empty history', async () => {
    const { x, labels } = dataset(20);
    const model = classifier();
    const before = snapshot(model);
    expect((await model.fit(x, labels, { epochs: 0 })).epochs).toEqual([]);
    expect(sameWeights(model, before)).toBe(true);
  });

  it('logs the learning rate a schedule gives at the end of each epoch', async () => {
    const { x, labels } = dataset(40);
    const model = new Sequential([new Dense(4, 3), new Softmax()], { seed: 1 }).compile({
      loss: 'categoricalCrossEntropy',
      optimizer: new SGD({ learningRate: (t) => 1 / (1 + t) }),
    });
    const history = await model.fit(x, labels, { epochs: 2, batchSize: 10 });
    // Four steps per epoch: the rate for the next step is 1/(1 + 4), then 1/(1 + 8).
    expect(history.epochs.map((e) => e.learningRate)).toEqual([1 / 5, 1 / 9]);
  });
});

describe('fit validation', () => {
  it('validationSplit holds out the last examples and logs valLoss and valAccuracy on them', async () => {
    const { x, labels } = dataset(50);
    const model = classifier();
    const seen: number[] = [];
    const history = await model.fit(x, labels, {
      epochs: 2,
      batchSize: 8,
      validationSplit: 0.2,
      callbacks: [{ onBatchEnd: (logs) => void seen.push(logs.size) }],
    });
    // 10 of 50 held out: 40 training examples per epoch, in batches of 8.
    expect(seen).toEqual([8, 8, 8, 8, 8, 8, 8, 8, 8, 8]);
    const held = model.evaluate(rows(x, 40, 50), labels.slice(40));
    const last = history.epochs[1];
    expect(last.valLoss).toBe(held.loss);
    expect(last.valAccuracy).toBe(held.accuracy);
    expect(history.epochs[0].valLoss).not.toBe(last.valLoss);
  });

  it('validationData is evaluated after every epoch', async () => {
    const train = dataset(40, 1);
    const validation = dataset(30, 2);
    const model = classifier();
    const history = await model.fit(train.x, train.labels, {
      epochs: 2,
      batchSize: 8,
      validationData: [validation.x, validation.labels],
    });
    expect(history.epochs).toHaveLength(2);
    // In batches of the training batch size, so the layers reuse the buffers they train with.
    const result = model.evaluate(validation.x, validation.labels, { batchSize: 8 });
    expect(history.epochs[1].valLoss).toBe(result.loss);
    expect(history.epochs[1].valAccuracy).toBe(result.accuracy);
  });
});

describe('fit callbacks', () => {
  it('are called in order, with a partial last batch, and awaited', async () => {
    const { x, labels } = dataset(10);
    const events: string[] = [];
    let slowDone = false;
    const recorder: Callback = {
      onTrainBegin: () => void events.push('trainBegin'),
      onEpochBegin: (epoch) => void events.push(`epochBegin ${epoch}`),
      onBatchBegin: (epoch, batch) => void events.push(`batchBegin ${epoch}.${batch}`),
      onBatchEnd: (logs) => void events.push(`batchEnd ${logs.epoch}.${logs.batch} size ${logs.size}`),
      onEpochEnd: (logs) => void events.push(`epochEnd ${logs.epoch}`),
      onTrainEnd: (history) => void events.push(`trainEnd ${history.epochs.length}`),
    };
    const slow: Callback = {
      onTrainBegin: () =>
        new Promise<void>((resolve) =>
          setTimeout(() => {
            slowDone = true;
            resolve();
          }, 5),
        ),
      onEpochBegin: () => void events.push(`slow finished: ${slowDone}`),
    };
    await classifier().fit(x, labels, { epochs: 2, batchSize: 4, callbacks: [recorder, slow] });
    const epoch = (e: number) => [
      `epochBegin ${e}`,
      `slow finished: true`,
      `batchBegin ${e}.0`,
      `batchEnd ${e}.0 size 4`,
      `batchBegin ${e}.1`,
      `batchEnd ${e}.1 size 4`,
      `batchBegin ${e}.2`,
      `batchEnd ${e}.2 size 2`,
      `epochEnd ${e}`,
    ];
    expect(events).toEqual(['trainBegin', ...epoch(0), ...epoch(1), 'trainEnd 2']);
  });

  it('get the model', async () => {
    const { x, labels } = dataset(8);
    const model = classifier();
    const models = new Set<Sequential>();
    await model.fit(x, labels, {
      batchSize: 8,
      callbacks: [
        {
          onTrainBegin: (m) => void models.add(m),
          onEpochBegin: (_, m) => void models.add(m),
          onBatchBegin: (_e, _b, m) => void models.add(m),
          onBatchEnd: (_, m) => void models.add(m),
          onEpochEnd: (_, m) => void models.add(m),
          onTrainEnd: (_, m) => void models.add(m),
        },
      ],
    });
    expect([...models]).toEqual([model]);
  });
});

describe('stopping fit early', () => {
  async function stoppedRun(stop: (model: Sequential, controller: AbortController) => void) {
    const { x, labels } = dataset(40);
    const model = classifier();
    const controller = new AbortController();
    const batches: string[] = [];
    let ended = false;
    const history = await model.fit(x, labels, {
      epochs: 5,
      batchSize: 10,
      signal: controller.signal,
      callbacks: [
        {
          onBatchEnd: (logs, m) => {
            batches.push(`${logs.epoch}.${logs.batch}`);
            if (logs.epoch === 1 && logs.batch === 1) stop(m, controller);
          },
          onTrainEnd: () => {
            ended = true;
          },
        },
      ],
    });
    return { history, batches, ended, model };
  }

  it('model.stopTraining = true in a callback ends after the current batch; the partial epoch is not logged', async () => {
    const { history, batches, ended } = await stoppedRun((model) => {
      model.stopTraining = true;
    });
    expect(batches).toEqual(['0.0', '0.1', '0.2', '0.3', '1.0', '1.1']);
    expect(history.epochs.map((e) => e.epoch)).toEqual([0]);
    expect(ended).toBe(true);
  });

  it('a stop requested in the last batch of an epoch ends fit after logging that complete epoch', async () => {
    const { x, labels } = dataset(20);
    const ended: number[] = [];
    const history = await classifier().fit(x, labels, {
      epochs: 5,
      batchSize: 10,
      callbacks: [
        {
          onBatchEnd: (logs, m) => {
            if (logs.epoch === 1 && logs.batch === 1) m.stopTraining = true;
          },
          onEpochEnd: (logs) => void ended.push(logs.epoch),
        },
      ],
    });
    expect(history.epochs.map((e) => e.epoch)).toEqual([0, 1]);
    expect(ended).toEqual([0, 1]);
  });

  it('an aborted AbortSignal ends after the current batch', async () => {
    const { history, batches, ended } = await stoppedRun((_, controller) => controller.abort());
    expect(batches).toEqual(['0.0', '0.1', '0.2', '0.3', '1.0', '1.1']);
    expect(history.epochs).toHaveLength(1);
    expect(ended).toBe(true);
  });

  it('a signal aborted before fit trains nothing', async () => {
    const { x, labels } = dataset(20);
    const model = classifier();
    const before = snapshot(model);
    const history = await model.fit(x, labels, { epochs: 3, signal: AbortSignal.abort() });
    expect(history.epochs).toEqual([]);
    expect(sameWeights(model, before)).toBe(true);
  });

  it('stopTraining is reset by the next fit', async () => {
    const { model } = await stoppedRun((m) => {
      m.stopTraining = true;
    });
    const { x, labels } = dataset(20);
    expect((await model.fit(x, labels, { epochs: 2 })).epochs).toHaveLength(2);
  });
});

describe('fit targets', () => {
  it('trains identically on Uint8Array, Int32Array and one-hot tensor labels', async () => {
    const { x, labels } = dataset(60);
    const targets: Targets[] = [labels, Int32Array.from(labels), oneHot(labels, 3)];
    const models = await Promise.all(
      targets.map(async (y) => {
        const model = classifier(3);
        const history = await model.fit(x, y, { epochs: 3, batchSize: 16 });
        expect(history.epochs[2].loss).toBeLessThan(history.epochs[0].loss);
        return { model, history };
      }),
    );
    const [reference, ...others] = models;
    for (const { model, history } of others) {
      expect(sameWeights(model, snapshot(reference.model))).toBe(true);
      expect(history.epochs.map((e) => [e.loss, e.accuracy])).toEqual(
        reference.history.epochs.map((e) => [e.loss, e.accuracy]),
      );
    }
  });

  it('trains a regression with tensor targets and MSE', async () => {
    const x = randomNormal([64, 3], new Random(4));
    const y = Tensor.zeros([64, 1]);
    for (let i = 0; i < 64; i++) y.data[i] = 2 * x.data[3 * i] - x.data[3 * i + 1] + 0.5;
    const model = new Sequential([new Dense(3, 1)], { seed: 1 }).compile({
      loss: new MeanSquaredError(),
      optimizer: new SGD({ learningRate: 0.1 }),
    });
    const history = await model.fit(x, y, { epochs: 30, batchSize: 16 });
    expect(history.epochs[29].loss).toBeLessThan(1e-3);
    const { weight, bias } = model.layers[0] as Dense;
    [2, -1, 0].forEach((w, i) => {
      expect(weight.value.data[i]).toBeCloseTo(w, 1);
    });
    expect(bias?.value.data[0]).toBeCloseTo(0.5, 1);
  });
});

describe('fit yields to the event loop', () => {
  it('lets a setImmediate scheduled before fit run before fit resolves', async () => {
    const x = randomNormal([4000, 32], new Random(1));
    const labels = Uint8Array.from({ length: 4000 }, (_, i) => i % 4);
    const model = new Sequential([new Dense(32, 64), new ReLU(), new Dense(64, 4), new Softmax()], {
      seed: 1,
    }).compile({ loss: 'categoricalCrossEntropy', optimizer: new Momentum() });
    let immediates = 0;
    let stop = false;
    const tick = () => {
      immediates++;
      if (!stop) setImmediate(tick);
    };
    setImmediate(tick);
    let atTrainEnd = -1;
    const started = performance.now();
    const promise = model.fit(x, labels, {
      epochs: 8,
      batchSize: 32,
      yieldEveryMs: 10,
      callbacks: [
        {
          onTrainEnd: () => {
            atTrainEnd = immediates;
          },
        },
      ],
    });
    expect(promise).toBeInstanceOf(Promise);
    await promise;
    stop = true;
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThan(30); // a run long enough that it must have yielded (every 10 ms here)
    expect(atTrainEnd).toBeGreaterThan(1);
  });

  it('yields after every batch with yieldEveryMs 0', async () => {
    const { x, labels } = dataset(40);
    let immediates = 0;
    let stop = false;
    const tick = () => {
      immediates++;
      if (!stop) setImmediate(tick);
    };
    setImmediate(tick);
    const counts: number[] = [];
    await classifier().fit(x, labels, {
      batchSize: 10,
      yieldEveryMs: 0,
      callbacks: [{ onBatchBegin: () => void counts.push(immediates) }],
    });
    stop = true;
    // Between two batches at least one immediate ran.
    for (let i = 1; i < counts.length; i++) expect(counts[i]).toBeGreaterThan(counts[i - 1]);
  });
});

describe('fit errors', () => {
  const { x, labels } = dataset(10);

  it('rejects with "call compile" before compile', async () => {
    const model = new Sequential([new Dense(4, 3), new Softmax()]);
    await expect(model.fit(x, labels)).rejects.toThrow('fit: call compile({ loss, optimizer }) first');
    expect(() => model.evaluate(x, labels)).toThrow('evaluate: call compile({ loss, optimizer }) first');
  });

  it('rejects invalid options with messages that name them', async () => {
    const model = classifier();
    await expect(model.fit(x, labels, { epochs: -1 })).rejects.toThrow(
      new RangeError('fit: epochs must be an integer ≥ 0, found -1'),
    );
    await expect(model.fit(x, labels, { epochs: 1.5 })).rejects.toThrow(RangeError);
    await expect(model.fit(x, labels, { batchSize: 0 })).rejects.toThrow(
      new RangeError('fit: batchSize must be an integer ≥ 1, found 0'),
    );
    await expect(model.fit(x, labels, { validationSplit: 1.5 })).rejects.toThrow(
      new RangeError('fit: validationSplit must be in (0, 1), found 1.5'),
    );
    await expect(model.fit(x, labels, { validationSplit: 0 })).rejects.toThrow(RangeError);
    await expect(model.fit(x, labels, { validationSplit: 0.01 })).rejects.toThrow(
      'leaves an empty training or validation set',
    );
    await expect(model.fit(x, labels, { validationSplit: 0.2, validationData: [x, labels] })).rejects.toThrow(
      new TypeError('fit: give validationData or validationSplit, not both'),
    );
    await expect(model.fit(x, labels.subarray(0, 9))).rejects.toThrow(
      new RangeError('fit: x has 10 examples but y has 9'),
    );
    await expect(model.fit(x, labels, { validationData: [x, labels.subarray(0, 3)] })).rejects.toThrow(
      'fit (validationData): x has 10 examples but y has 3',
    );
    await expect(model.fit([1, 2] as never, labels)).rejects.toThrow(TypeError);
    await expect(model.fit(x, [0, 1] as never)).rejects.toThrow(TypeError);
  });

  it('rejects invalid options before training anything', async () => {
    const model = classifier();
    const before = snapshot(model);
    await expect(model.fit(x, labels, { epochs: 2, validationSplit: 2 })).rejects.toThrow();
    expect(sameWeights(model, before)).toBe(true);
  });
});

describe('fit stops on a non-finite loss', () => {
  it('names the epoch, the batch and the value, and leaves the weights from before that step', async () => {
    const { x, labels } = dataset(40);
    // fit(x, y) rejects NaN inputs before training; a batch source hands its batches over one at a time.
    const batches = [0, 1, 2, 3].map((b) => ({
      x: rows(x, 10 * b, 10 * b + 10),
      y: labels.slice(10 * b, 10 * b + 10),
    }));
    batches[2].x.data[4 * 1 + 2] = Number.NaN; // row 21
    const model = classifier();
    let before: Tensor[] = [];
    const finished: string[] = [];
    const error = await model
      .fit(fixedBatches(batches), {
        epochs: 2,
        callbacks: [
          {
            onBatchBegin: (epoch, batch, m) => {
              if (epoch === 0 && batch === 2) before = snapshot(m);
            },
            onBatchEnd: (logs) => void finished.push(`${logs.epoch}.${logs.batch}`),
          },
        ],
      })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(NonFiniteLossError);
    const e = error as NonFiniteLossError;
    expect(e.value).toBeNaN();
    expect(e.epoch).toBe(0);
    expect(e.batch).toBe(2);
    expect(e.message).toContain('the loss is NaN at epoch 0, batch 2');
    expect(finished).toEqual(['0.0', '0.1']);
    expect(before).toHaveLength(4);
    expect(sameWeights(model, before)).toBe(true);
    expect(model.params().every((p) => p.value.data.every(Number.isFinite))).toBe(true);
  });

  it('catches a divergence from a huge learning rate', async () => {
    const x = randomNormal([64, 3], new Random(4));
    const y = randomNormal([64, 2], new Random(5));
    const model = new Sequential([new Dense(3, 2)], { seed: 1 }).compile({
      loss: 'meanSquaredError',
      optimizer: new SGD({ learningRate: 1e4 }),
    });
    const weights: Tensor[][] = [];
    const error = await model
      .fit(x, y, {
        epochs: 50,
        batchSize: 8,
        callbacks: [{ onBatchBegin: (_e, _b, m) => void weights.push(snapshot(m)) }],
      })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(NonFiniteLossError);
    const e = error as NonFiniteLossError;
    expect(Number.isFinite(e.value)).toBe(false);
    expect(e.message).toContain(`the loss is ${e.value} at epoch ${e.epoch}, batch ${e.batch}`);
    // The weights are those snapshotted at the start of the failing batch (the last one that began).
    expect(weights.length).toBe((e.epoch as number) * 8 + (e.batch as number) + 1);
    expect(sameWeights(model, weights[weights.length - 1])).toBe(true);
  });
});

describe('determinism', () => {
  async function trained(seed: number): Promise<Sequential> {
    const { x, labels } = dataset(96, 7);
    const model = new Sequential([new Dense(4, 12), new ReLU(), new Dense(12, 3), new Softmax()], { seed }).compile({
      loss: 'categoricalCrossEntropy',
      optimizer: new Momentum({ learningRate: 0.2, nesterov: true }),
    });
    await model.fit(x, labels, { epochs: 3, batchSize: 16, validationSplit: 0.25 });
    return model;
  }

  it('two models with the same seed, trained the same way, end bit-identical', async () => {
    const a = await trained(11);
    const b = await trained(11);
    a.params().forEach((p, i) => {
      expect(p.value.equals(b.params()[i].value)).toBe(true);
    });
  });

  it('different seeds end different', async () => {
    const a = await trained(11);
    const b = await trained(12);
    a.params().forEach((p, i) => {
      expect(p.value.equals(b.params()[i].value)).toBe(false);
    });
  });

  it('the seed also fixes the shuffling: the same initial weights with another seed train differently', async () => {
    const { x, labels } = dataset(64, 7);
    const a = classifier(1);
    const b = new Sequential([new Dense(4, 16), new ReLU(), new Dense(16, 3), new Softmax()], { seed: 1 });
    const c = new Sequential(b.layers); // no seed: keeps b's weights, shuffles with seed 0
    c.compile({ loss: 'categoricalCrossEntropy', optimizer: new Momentum({ learningRate: 0.1 }) });
    expect(sameWeights(c, snapshot(a))).toBe(true);
    await a.fit(x, labels, { epochs: 1, batchSize: 8 });
    await c.fit(x, labels, { epochs: 1, batchSize: 8 });
    expect(sameWeights(c, snapshot(a))).toBe(false);
  });
});

describe('behaviour: two spirals', () => {
  /** Two interleaved spirals of 1.5 turns, `perClass` points each, with a little seeded noise. */
  function spirals(perClass: number, seed: number): { x: Tensor; labels: Uint8Array } {
    const rng = new Random(seed);
    const x = Tensor.zeros([2 * perClass, 2]);
    const labels = new Uint8Array(2 * perClass);
    for (let c = 0; c < 2; c++) {
      for (let i = 0; i < perClass; i++) {
        const k = c * perClass + i;
        const t = 0.25 + (i / perClass) * 3 * Math.PI;
        const r = t / (3 * Math.PI);
        x.data[2 * k] = r * Math.cos(t + c * Math.PI) + rng.normal(0, 0.02);
        x.data[2 * k + 1] = r * Math.sin(t + c * Math.PI) + rng.normal(0, 0.02);
        labels[k] = c;
      }
    }
    return { x, labels };
  }

  it('an MLP reaches ≥ 95% training accuracy in a few hundred steps', async () => {
    const { x, labels } = spirals(150, 1);
    const model = new Sequential(
      [new Dense(2, 64), new ReLU(), new Dense(64, 64), new ReLU(), new Dense(64, 2), new Softmax()],
      { seed: 1 },
    ).compile({ loss: 'categoricalCrossEntropy', optimizer: new Momentum({ learningRate: 0.3, momentum: 0.9 }) });
    const before = model.evaluate(x, labels);
    expect(before.accuracy).toBeLessThan(0.75);
    let steps = 0;
    const history = await model.fit(x, labels, {
      epochs: 40,
      batchSize: 20,
      callbacks: [{ onBatchEnd: () => void steps++ }],
    });
    expect(steps).toBe(600);
    const after = model.evaluate(x, labels);
    expect(after.accuracy).toBeGreaterThanOrEqual(0.95);
    expect(after.loss).toBeLessThan(before.loss / 3);
    expect((history.epochs.at(-1) as EpochLogs).accuracy).toBeGreaterThanOrEqual(0.9);
  });
});

describe('one fit at a time per model', () => {
  it('refuses a second fit while the first runs, with a ConcurrentFitError, and trains only the first', async () => {
    const { x, labels } = dataset(40);
    const optimizer = new Momentum({ learningRate: 0.1 });
    const model = new Sequential([new Dense(4, 3), new Softmax()], { seed: 1 }).compile({
      loss: 'categoricalCrossEntropy',
      optimizer,
    });
    // yieldEveryMs 0: the first fit yields after each of its 8 steps, so the second call meets it mid-way.
    const first = model.fit(x, labels, { epochs: 2, batchSize: 10, yieldEveryMs: 0 });
    const stepsWhenRefused = optimizer.iterations;
    let settled: unknown = 'pending';
    model.fit(x, labels, { epochs: 5, batchSize: 10 }).then(
      () => {
        settled = 'resolved';
      },
      (e: unknown) => {
        settled = e;
      },
    );
    // Refused at once: rejected within a microtask, before the first fit (waiting on a macrotask) takes another step.
    await Promise.resolve();
    expect(settled).toBeInstanceOf(ConcurrentFitError);
    expect((settled as Error).message).toMatch(/fit: this model is already training/);
    expect(optimizer.iterations).toBe(stepsWhenRefused);
    expect((await first).epochs).toHaveLength(2);
    expect(optimizer.iterations).toBe(8);
  });

  it('fits again once the first fit has resolved, or rejected', async () => {
    const { x, labels } = dataset(20);
    const model = classifier();
    await model.fit(x, labels, { batchSize: 10 });
    expect((await model.fit(x, labels, { batchSize: 10 })).epochs).toHaveLength(1);
    await expect(model.fit(x, labels, { epochs: -1 })).rejects.toThrow(RangeError);
    const failing: Callback = {
      onEpochEnd: () => {
        throw new Error('a callback failed');
      },
    };
    await expect(model.fit(x, labels, { callbacks: [failing] })).rejects.toThrow('a callback failed');
    expect((await model.fit(x, labels, { batchSize: 10 })).epochs).toHaveLength(1);
  });

  it('a refused call does not release the running fit: a third call is refused too', async () => {
    const { x, labels } = dataset(20);
    const model = classifier();
    const first = model.fit(x, labels, { epochs: 3, batchSize: 5, yieldEveryMs: 0 });
    await expect(model.fit(x, labels)).rejects.toThrow(ConcurrentFitError);
    await expect(model.fit(x, labels)).rejects.toThrow(ConcurrentFitError);
    expect((await first).epochs).toHaveLength(3);
  });

  it('another model trains alongside', async () => {
    const { x, labels } = dataset(20);
    const [a, b] = [classifier(1), classifier(2)];
    const histories = await Promise.all([
      a.fit(x, labels, { epochs: 2, batchSize: 5, yieldEveryMs: 0 }),
      b.fit(x, labels, { epochs: 2, batchSize: 5, yieldEveryMs: 0 }),
    ]);
    expect(histories.map((h) => h.epochs.length)).toEqual([2, 2]);
  });

  it('lets callbacks call evaluate, predict and trainStep; a trainStep is one more step, not in the history', async () => {
    const { x, labels } = dataset(20);
    const optimizer = new Momentum({ learningRate: 0.1 });
    const model = new Sequential([new Dense(4, 3), new Softmax()], { seed: 1 }).compile({
      loss: 'categoricalCrossEntropy',
      optimizer,
    });
    const evaluations: number[] = [];
    const history = await model.fit(x, labels, {
      epochs: 2,
      batchSize: 10,
      callbacks: [
        {
          onBatchEnd: (_, m) => {
            evaluations.push(m.evaluate(x, labels).loss);
            expect(m.predict(x).shape).toEqual([20, 3]);
          },
          onEpochEnd: (_, m) => void trainStep(m, new CrossEntropy(), optimizer, x, labels),
        },
      ],
    });
    expect(evaluations).toHaveLength(4);
    expect(evaluations.every(Number.isFinite)).toBe(true);
    expect(history.epochs).toHaveLength(2);
    // 2 epochs of 2 steps, plus the callback's step after each epoch.
    expect(optimizer.iterations).toBe(6);
  });
});

/** A batch source over fixed batches, the same every epoch. */
function fixedBatches(batches: readonly TrainingBatch[]): BatchSource {
  return { batchCount: batches.length, epoch: () => batches };
}

describe('fit checks its data before the first step', () => {
  async function rejection(run: () => Promise<unknown>): Promise<unknown> {
    return run().then(
      () => undefined,
      (e: unknown) => e,
    );
  }

  it('rejects validation inputs holding NaN or an infinity with a TrainingDataError naming the row', async () => {
    const train = dataset(20, 1);
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY]) {
      const validation = dataset(10, 2);
      validation.x.data[4 * 7 + 2] = bad;
      const model = classifier();
      const before = snapshot(model);
      const error = await rejection(() =>
        model.fit(train.x, train.labels, { batchSize: 5, validationData: [validation.x, validation.labels] }),
      );
      expect(error).toBeInstanceOf(TrainingDataError);
      expect((error as Error).message).toBe(
        `fit (validationData): x holds ${bad} at row 7 (element 2 of the row); inputs must be finite numbers`,
      );
      expect(sameWeights(model, before)).toBe(true);
    }
  });

  it('rejects a validation label out of the model’s class range before training', async () => {
    const train = dataset(20, 1);
    const validation = dataset(10, 2);
    validation.labels[4] = 3; // the model has 3 outputs: classes 0, 1, 2
    const model = classifier();
    const before = snapshot(model);
    const error = await rejection(() =>
      model.fit(train.x, train.labels, { batchSize: 5, validationData: [validation.x, validation.labels] }),
    );
    expect(error).toBeInstanceOf(TrainingDataError);
    expect((error as Error).message).toBe(
      'fit (validationData): y[4] is 3, but the model has 3 outputs, so a class index must be an integer in [0, 3)',
    );
    expect(sameWeights(model, before)).toBe(true);
    const negative = Int32Array.from(validation.labels);
    negative[4] = -1;
    await expect(model.fit(train.x, train.labels, { validationData: [validation.x, negative] })).rejects.toThrow(
      'y[4] is -1',
    );
  });

  it('rejects validation inputs the first layer cannot take, with a ShapeError naming validationData', async () => {
    const train = dataset(20, 1);
    const model = classifier();
    const before = snapshot(model);
    const wide = randomNormal([10, 5], new Random(2));
    const error = await rejection(() =>
      model.fit(train.x, train.labels, { validationData: [wide, new Uint8Array(10)] }),
    );
    expect(error).toBeInstanceOf(ShapeError);
    expect((error as Error).message).toBe('fit (validationData): Dense: expects input [batch, 4], found [10, 5]');
    expect(sameWeights(model, before)).toBe(true);
  });

  it('rejects validation target tensors that are not the model’s output shape, or not finite', async () => {
    const train = dataset(20, 1);
    const validation = dataset(10, 2);
    const model = classifier();
    await expect(
      model.fit(train.x, train.labels, { validationData: [validation.x, oneHot(validation.labels, 4)] }),
    ).rejects.toThrow(
      new ShapeError('fit (validationData)', 'y must have the model’s output shape [10, 3], found [10, 4]'),
    );
    const targets = oneHot(validation.labels, 3);
    targets.data[5] = Number.NaN;
    await expect(model.fit(train.x, train.labels, { validationData: [validation.x, targets] })).rejects.toThrow(
      new TrainingDataError(
        'fit (validationData): y holds NaN at row 1 (element 2 of the row); targets must be finite numbers',
      ),
    );
  });

  it('rejects validationData without examples, whose valLoss would be 0/0', async () => {
    const train = dataset(20, 1);
    const model = classifier();
    await expect(
      model.fit(train.x, train.labels, { validationData: [Tensor.zeros([0, 4]), new Uint8Array(0)] }),
    ).rejects.toThrow(new RangeError('fit (validationData): there are no examples to validate on'));
  });

  it('checks validationData given with a batch source the same way', async () => {
    const train = dataset(20, 1);
    const validation = dataset(10, 2);
    validation.x.data[0] = Number.NaN;
    const model = classifier();
    const before = snapshot(model);
    const source = fixedBatches([{ x: train.x, y: train.labels }]);
    await expect(model.fit(source, { validationData: [validation.x, validation.labels] })).rejects.toThrow(
      TrainingDataError,
    );
    expect(sameWeights(model, before)).toBe(true);
  });

  it('checks the training tensors the same way: NaN inputs and bad labels fail before the first step', async () => {
    const { x, labels } = dataset(40);
    const model = classifier();
    const before = snapshot(model);
    const nan = x.clone();
    nan.data[4 * 39 + 1] = Number.NaN; // the last row: the last batch, had it trained
    await expect(model.fit(nan, labels, { batchSize: 10 })).rejects.toThrow(
      new TrainingDataError('fit: x holds NaN at row 39 (element 1 of the row); inputs must be finite numbers'),
    );
    const bad = labels.slice();
    bad[39] = 7;
    await expect(model.fit(x, bad, { batchSize: 10 })).rejects.toThrow(
      new TrainingDataError(
        'fit: y[39] is 7, but the model has 3 outputs, so a class index must be an integer in [0, 3)',
      ),
    );
    await expect(model.fit(randomNormal([40, 3], new Random(1)), labels)).rejects.toThrow(ShapeError);
    expect(sameWeights(model, before)).toBe(true);
  });

  it('leaves NaN in a batch source’s batches to the step that meets them (NonFiniteLossError)', async () => {
    const { x, labels } = dataset(30);
    const batches = [0, 1, 2].map((b) => ({ x: rows(x, 10 * b, 10 * b + 10), y: labels.slice(10 * b, 10 * b + 10) }));
    batches[2].x.data[5] = Number.NaN;
    const error = await rejection(() => classifier().fit(fixedBatches(batches)));
    expect(error).toBeInstanceOf(NonFiniteLossError);
    expect((error as NonFiniteLossError).batch).toBe(2);
  });
});
