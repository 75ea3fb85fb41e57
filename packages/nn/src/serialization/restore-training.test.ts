import { describe, expect, it } from 'vitest';
import { Adam, Dense, ModelFormatError, Sequential, SGD } from '../index.js';
import { restoreTraining } from './restore-training.js';

// biome-ignore lint/suspicious/noExplicitAny: the tests corrupt arbitrary fields of a parsed training section
type TrainingJson = Record<string, any>;

function saved(optimizer: Adam | SGD): { model: Sequential; training: TrainingJson } {
  const model = new Sequential([new Dense(2, 2)], { seed: 1 }).compile({ loss: 'meanSquaredError', optimizer });
  optimizer.step(model.params());
  return {
    model: new Sequential([new Dense(2, 2)]),
    training: JSON.parse(JSON.stringify(model.save({ includeOptimizer: true }).training)),
  };
}

function failure(run: () => unknown): ModelFormatError {
  try {
    run();
  } catch (error) {
    if (error instanceof ModelFormatError) return error;
    throw error;
  }
  throw new Error('expected a ModelFormatError');
}

describe('restoreTraining', () => {
  it('compiles the model with the saved loss and optimizer state', () => {
    const { model, training } = saved(new Adam());
    restoreTraining(model, training);
    expect(model.training.optimizer?.iterations).toBe(1);
    expect(Object.keys(model.training.optimizer?.state().slots['0.weight'] ?? {})).toEqual(['m', 'v']);
  });

  it('rejects a slot the optimizer does not keep, which loadState would drop in silence', () => {
    const { model, training } = saved(new Adam());
    training.optimizer.slots['0.bias'].velocity = training.optimizer.slots['0.bias'].m;
    const error = failure(() => restoreTraining(model, training));
    expect(error.path).toBe('$.training.optimizer.slots["0.bias"]["velocity"]');
    expect(error.detail).toBe('Adam keeps no slot of this name; its slots are m, v');
    const sgd = saved(new SGD());
    sgd.training.optimizer.slots['0.weight'] = { m: training.optimizer.slots['0.weight'].m };
    expect(failure(() => restoreTraining(sgd.model, sgd.training)).detail).toBe(
      'SGD keeps no slot of this name; its slots are none',
    );
  });

  it('rejects unknown fields of the section and of the optimizer, and of its config', () => {
    for (const [edit, path] of [
      [(t: TrainingJson) => (t.epoch = 3), '$.training.epoch'],
      [(t: TrainingJson) => (t.optimizer.step = 3), '$.training.optimizer.step'],
      [(t: TrainingJson) => (t.optimizer.config.beta3 = 3), '$.training.optimizer.config.beta3'],
    ] as const) {
      const { model, training } = saved(new Adam());
      edit(training);
      expect(failure(() => restoreTraining(model, training)).path).toBe(path);
    }
  });

  it('shows an infinite step count as Infinity', () => {
    const { model, training } = saved(new Adam());
    training.optimizer.iterations = Number.POSITIVE_INFINITY;
    expect(failure(() => restoreTraining(model, training)).detail).toBe(
      'expected a non-negative integer, found Infinity',
    );
  });
});
