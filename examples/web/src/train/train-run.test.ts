import { loadMnist } from '@mnist/datasets/node';
import { describe, expect, it } from 'vitest';
import { PauseGate } from './pause-gate.js';
import { type TrainingObserver, trainRun } from './train-run.js';
import { DEFAULT_SETTINGS } from './training-settings.js';

const { train } = await loadMnist();

function recorder() {
  const calls = { begin: [] as unknown[], batches: 0, epochs: [] as number[], weights: [] as number[][] };
  const observer: TrainingObserver = {
    begin: (info) => calls.begin.push(info),
    batch: () => void calls.batches++,
    epoch: (logs) => void calls.epochs.push(logs.valAccuracy ?? Number.NaN),
    weights: (snapshot) => void calls.weights.push(snapshot.shape),
  };
  return { calls, observer };
}

describe('trainRun, on the real MNIST files', () => {
  it('trains the MLP on a slice, reports every batch and the dev accuracy', { timeout: 60_000 }, async () => {
    const { calls, observer } = recorder();
    const result = await trainRun({ ...DEFAULT_SETTINGS, epochs: 1, trainSize: 3000 }, train, observer, {
      signal: new AbortController().signal,
      gate: new PauseGate(),
    });
    expect(calls.begin).toEqual([{ batchCount: 47, epochs: 1, trainSize: 3000, devSize: 10_000, parameters: 109_386 }]);
    expect(calls.batches).toBe(47);
    // Chance is 10%; 3 000 images for one epoch give about 84% on the 10 000 held out.
    expect(calls.epochs[0], String(calls.epochs[0])).toBeGreaterThan(0.75);
    // One snapshot before training and one after the epoch, at least.
    expect(calls.weights.length).toBeGreaterThanOrEqual(2);
    expect(calls.weights[0]).toEqual([784, 128]);
    expect(result).toMatchObject({ stopped: false, images: 3000 });
    expect(result.trainingSeconds).toBeGreaterThan(0);
  });

  it('stops after the batch in progress when aborted, and says so', { timeout: 60_000 }, async () => {
    const controller = new AbortController();
    const { calls, observer } = recorder();
    const result = await trainRun(
      { ...DEFAULT_SETTINGS, epochs: 3, trainSize: 1000 },
      train,
      { ...observer, batch: () => controller.abort() },
      { signal: controller.signal, gate: new PauseGate() },
    );
    expect(result).toMatchObject({ stopped: true, images: 64 });
    expect(result.history.epochs).toEqual([]);
    expect(calls.epochs).toEqual([]);
  });

  it('refuses settings it cannot train with, naming them', async () => {
    const run = trainRun({ ...DEFAULT_SETTINGS, batchSize: 0 }, train, recorder().observer, {
      signal: new AbortController().signal,
      gate: new PauseGate(),
    });
    await expect(run).rejects.toThrow('the batch size must be a whole number from 1 to 1024, found 0');
  });
});
