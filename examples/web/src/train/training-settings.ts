import type { Architecture } from '../model/architectures.js';

/** The optimizers the page offers. */
export type OptimizerName = 'momentum' | 'nesterov' | 'adam' | 'sgd';

/** What the augmentation setting does to every training batch. */
export type Augmentation = 'none' | 'shift-rotate' | 'elastic';

/** Everything the user chooses before training. */
export interface TrainingSettings {
  architecture: Architecture;
  optimizer: OptimizerName;
  learningRate: number;
  /** `cosine` decays the learning rate to 0 over the run; `constant` keeps it. */
  schedule: 'cosine' | 'constant';
  batchSize: number;
  epochs: number;
  /** Training images, taken in order from the 50 000 that are not held out for the dev set. */
  trainSize: number;
  augmentation: Augmentation;
  /** Seeds the weights, the shuffles and the augmentations. */
  seed: number;
}

/** Training images held out (the last 10 000, as in the classic 50 000 / 10 000 split) to report dev accuracy. */
export const DEV_SIZE = 10_000;
/** The most training images: MNIST's 60 000 less the dev set. */
export const MAX_TRAIN_SIZE = 60_000 - DEV_SIZE;

/** A learning rate that trains well with each optimizer (the first three are `pnpm mnist`'s). */
export const DEFAULT_LEARNING_RATES: Readonly<Record<OptimizerName, number>> = {
  momentum: 0.3,
  nesterov: 0.3,
  sgd: 0.3,
  adam: 0.001,
};

/** What the form shows first: `pnpm mnist`'s defaults, for 5 epochs. */
export const DEFAULT_SETTINGS: Readonly<TrainingSettings> = Object.freeze({
  architecture: 'mlp',
  optimizer: 'momentum',
  learningRate: DEFAULT_LEARNING_RATES.momentum,
  schedule: 'cosine',
  batchSize: 64,
  epochs: 5,
  trainSize: MAX_TRAIN_SIZE,
  augmentation: 'none',
  seed: 1,
});

/** Settings the worker refuses, with one message per problem. */
export class SettingsError extends RangeError {
  override readonly name = 'SettingsError';
}

/**
 * Checks every setting and lists what is wrong, one sentence each (the form shows them beside the Train button).
 * @returns an empty list when the settings can train
 */
export function settingsProblems(settings: TrainingSettings): string[] {
  const problems: string[] = [];
  const integer = (name: string, value: number, min: number, max: number) => {
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max}, found ${value}`);
    }
  };
  if (settings.architecture !== 'mlp' && settings.architecture !== 'cnn') {
    problems.push(`the model must be mlp or cnn, found ${settings.architecture}`);
  }
  if (!(settings.optimizer in DEFAULT_LEARNING_RATES)) problems.push(`unknown optimizer ${settings.optimizer}`);
  if (!(settings.learningRate > 0 && settings.learningRate <= 10)) {
    problems.push(`the learning rate must be above 0 and at most 10, found ${settings.learningRate}`);
  }
  if (settings.schedule !== 'cosine' && settings.schedule !== 'constant') {
    problems.push(`the schedule must be cosine or constant, found ${settings.schedule}`);
  }
  if (!['none', 'shift-rotate', 'elastic'].includes(settings.augmentation)) {
    problems.push(`unknown augmentation ${settings.augmentation}`);
  }
  integer('the batch size', settings.batchSize, 1, 1024);
  integer('the number of epochs', settings.epochs, 1, 100);
  integer('the number of training images', settings.trainSize, 100, MAX_TRAIN_SIZE);
  integer('the seed', settings.seed, 0, 2 ** 31 - 1);
  return problems;
}
