import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, MAX_TRAIN_SIZE, settingsProblems } from './training-settings.js';

describe('settingsProblems', () => {
  it('accepts the defaults', () => {
    expect(settingsProblems(DEFAULT_SETTINGS)).toEqual([]);
  });

  it('names every bad setting with what it found', () => {
    const problems = settingsProblems({
      ...DEFAULT_SETTINGS,
      learningRate: 0,
      epochs: 1.5,
      trainSize: MAX_TRAIN_SIZE + 1,
      batchSize: Number.NaN,
    });
    expect(problems).toEqual([
      'the learning rate must be above 0 and at most 10, found 0',
      'the batch size must be a whole number from 1 to 1024, found NaN',
      'the number of epochs must be a whole number from 1 to 100, found 1.5',
      'the number of training images must be a whole number from 100 to 50000, found 50001',
    ]);
  });
});
