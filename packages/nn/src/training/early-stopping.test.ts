import { Random, randomNormal, type Tensor } from '@mnist/tensor';
import { describe, expect, it } from 'vitest';
import { Dense, EarlyStopping, type EpochLogs, Momentum, ReLU, Sequential, Softmax } from '../index.js';
import { ConcurrentFitError } from './concurrent-fit-error.js';

function logs(epoch: number, values: Partial<EpochLogs>): EpochLogs {
  return { epoch, loss: 1, accuracy: 0, learningRate: 0.1, seconds: 0, ...values };
}

function smallModel(): Sequential {
  return new Sequential([new Dense(2, 2)], { seed: 1 });
}

/** Feeds one monitored value per epoch; returns the epoch after which training was asked to stop. */
function stopsAfter(callback: EarlyStopping, values: number[], key: keyof EpochLogs = 'valLoss'): number | undefined {
  const model = smallModel();
  callback.onTrainBegin();
  for (const [epoch, value] of values.entries()) {
    callback.onEpochEnd(logs(epoch, { [key]: value }), model);
    if (model.stopTraining) return epoch;
  }
  return undefined;
}

describe('EarlyStopping', () => {
  it('with patience 0 stops at the first epoch without improvement', () => {
    const stop = new EarlyStopping();
    expect(stopsAfter(stop, [1, 0.8, 0.9, 0.5])).toBe(2);
    expect(stop.stoppedEpoch).toBe(2);
  });

  it('tolerates `patience` epochs without improvement and stops on the next one', () => {
    // Best 0.8 at epoch 1; epochs 2 and 3 are tolerated; epoch 4 is the third without improvement.
    expect(stopsAfter(new EarlyStopping({ patience: 2 }), [1, 0.8, 0.9, 0.85, 0.81, 0.1])).toBe(4);
    // An improvement resets the count.
    expect(stopsAfter(new EarlyStopping({ patience: 2 }), [1, 0.9, 0.95, 0.8, 0.85, 0.9, 0.95])).toBe(6);
    expect(stopsAfter(new EarlyStopping({ patience: 2 }), [1, 0.9, 0.8, 0.7])).toBeUndefined();
  });

  it('counts a change below minDelta as no improvement', () => {
    expect(stopsAfter(new EarlyStopping({ minDelta: 0.05 }), [1, 0.97])).toBe(1);
    expect(stopsAfter(new EarlyStopping({ minDelta: 0.05 }), [1, 0.9, 0.8])).toBeUndefined();
  });

  it('maximises accuracies and minimises losses', () => {
    expect(stopsAfter(new EarlyStopping({ monitor: 'valAccuracy' }), [0.5, 0.6, 0.55], 'valAccuracy')).toBe(2);
    expect(stopsAfter(new EarlyStopping({ monitor: 'accuracy' }), [0.5, 0.6, 0.7], 'accuracy')).toBeUndefined();
    expect(stopsAfter(new EarlyStopping({ monitor: 'loss' }), [0.5, 0.6], 'loss')).toBe(1);
  });

  it('restoreBestWeights puts back the weights of the best epoch when it stops', () => {
    const model = smallModel();
    const weight = model.params()[0].value;
    const stop = new EarlyStopping({ patience: 1, restoreBestWeights: true });
    stop.onTrainBegin();
    weight.fill(1);
    stop.onEpochEnd(logs(0, { valLoss: 0.9 }), model);
    weight.fill(2);
    stop.onEpochEnd(logs(1, { valLoss: 0.5 }), model); // best
    weight.fill(3);
    stop.onEpochEnd(logs(2, { valLoss: 0.7 }), model);
    expect(model.stopTraining).toBe(false);
    expect(weight.data.every((v) => v === 3)).toBe(true);
    weight.fill(4);
    stop.onEpochEnd(logs(3, { valLoss: 0.6 }), model);
    expect(model.stopTraining).toBe(true);
    expect(weight.data.every((v) => v === 2)).toBe(true);
  });

  it('without restoreBestWeights leaves the last weights', () => {
    const model = smallModel();
    const weight = model.params()[0].value;
    const stop = new EarlyStopping();
    stop.onTrainBegin();
    weight.fill(1);
    stop.onEpochEnd(logs(0, { valLoss: 0.5 }), model);
    weight.fill(2);
    stop.onEpochEnd(logs(1, { valLoss: 0.7 }), model);
    expect(model.stopTraining).toBe(true);
    expect(weight.data.every((v) => v === 2)).toBe(true);
  });

  it('onTrainBegin resets it, so one instance serves several runs', () => {
    const stop = new EarlyStopping();
    expect(stopsAfter(stop, [1, 2])).toBe(1);
    expect(stopsAfter(stop, [5, 4, 3])).toBeUndefined();
    expect(stop.stoppedEpoch).toBeUndefined();
  });

  it('rejects an invalid patience', () => {
    expect(() => new EarlyStopping({ patience: -1 })).toThrow(
      new RangeError('EarlyStopping: patience must be a non-negative integer, found -1'),
    );
    expect(() => new EarlyStopping({ patience: 1.5 })).toThrow(RangeError);
  });
});

describe('EarlyStopping in fit', () => {
  const x = randomNormal([120, 4], new Random(1));
  const labels = Uint8Array.from({ length: 120 }, (_, i) => (x.data[4 * i] > 0 ? 1 : 0));
  // Validation targets are the opposite of the training rule, so the validation loss rises as training succeeds.
  const validation: [Tensor, Uint8Array] = [x, labels.map((l) => 1 - l)];

  function model(): Sequential {
    return new Sequential([new Dense(4, 8), new ReLU(), new Dense(8, 2), new Softmax()], { seed: 2 }).compile({
      loss: 'categoricalCrossEntropy',
      optimizer: new Momentum({ learningRate: 0.2 }),
    });
  }

  it('stops training and restores the weights of the best validation epoch', async () => {
    const m = model();
    const stop = new EarlyStopping({ monitor: 'valLoss', patience: 1, restoreBestWeights: true });
    const snapshots: Float32Array[][] = [];
    const record = { onEpochEnd: () => void snapshots.push(m.params().map((p) => p.value.data.slice())) };
    const history = await m.fit(x, labels, {
      epochs: 20,
      batchSize: 20,
      validationData: validation,
      callbacks: [record, stop],
    });
    expect(history.epochs.length).toBeLessThan(20);
    expect(stop.stoppedEpoch).toBe(history.epochs.length - 1);
    const valLosses = history.epochs.map((e) => e.valLoss as number);
    const best = valLosses.indexOf(Math.min(...valLosses));
    expect(best).toBe(history.epochs.length - 3); // patience 1: two epochs after the best one
    m.params().forEach((p, i) => {
      expect(p.value.data).toEqual(snapshots[best][i]);
    });
    expect(m.params()[0].value.data).not.toEqual(snapshots[history.epochs.length - 1][0]);
  });

  it('rejects fit when it monitors valLoss without validation data', async () => {
    await expect(model().fit(x, labels, { epochs: 2, callbacks: [new EarlyStopping()] })).rejects.toThrow(
      new RangeError("EarlyStopping: 'valLoss' is not logged; validation data is needed to monitor it"),
    );
  });
});

describe('EarlyStopping shared by two fits at once', () => {
  it('fails the earlier fit with a ConcurrentFitError instead of mixing the two models’ records', async () => {
    const x = randomNormal([40, 2], new Random(1));
    const labels = Uint8Array.from({ length: 40 }, (_, i) => (x.data[2 * i] > 0 ? 1 : 0));
    const [a, b] = [1, 2].map((seed) =>
      new Sequential([new Dense(2, 2), new Softmax()], { seed }).compile({
        loss: 'categoricalCrossEntropy',
        optimizer: new Momentum({ learningRate: 0.1 }),
      }),
    );
    const stop = new EarlyStopping({ monitor: 'loss', patience: 5, restoreBestWeights: true });
    const options = { epochs: 3, batchSize: 10, yieldEveryMs: 0, callbacks: [stop] };
    const [first, second] = await Promise.allSettled([a.fit(x, labels, options), b.fit(x, labels, options)]);
    expect(first.status).toBe('rejected');
    const error = (first as PromiseRejectedResult).reason;
    expect(error).toBeInstanceOf(ConcurrentFitError);
    expect((error as Error).message).toMatch(/^EarlyStopping: this instance now watches another model's fit/);
    expect(second.status).toBe('fulfilled');
    // One after the other, one instance serves both.
    await a.fit(x, labels, options);
    await b.fit(x, labels, options);
  });
});
