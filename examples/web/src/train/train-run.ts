import {
  BatchLoader,
  ElasticDeformation,
  type ImageAugmentation,
  type ImageDataset,
  RandomRotation,
  RandomShift,
  trainDevSplit,
} from '@mnist/datasets';
import type { BatchLogs, EpochLogs, History, Sequential } from '@mnist/nn';
import { Random } from '@mnist/tensor';
import { place } from '../backend.js';
import { buildArchitecture } from '../model/architectures.js';
import { buildOptimizer } from './build-optimizer.js';
import type { PauseGate } from './pause-gate.js';
import { DEV_SIZE, SettingsError, settingsProblems, type TrainingSettings } from './training-settings.js';

/** A copy of the first layer's weight: `[784, units]` for the MLP, `[filters, 1, 5, 5]` for the CNN. */
export interface WeightSnapshot {
  shape: number[];
  data: Float32Array;
}

/** What a run tells as it goes. Every method is called on the training thread, between batches. */
export interface TrainingObserver {
  /** Once, before the first batch. */
  begin(info: { batchCount: number; epochs: number; trainSize: number; devSize: number; parameters: number }): void;
  /** After every training step. */
  batch(logs: BatchLogs): void;
  /** After every epoch, dev loss and accuracy included. */
  epoch(logs: EpochLogs): void;
  /** A copy of the first layer's weight, a few times a second and after every epoch. */
  weights(snapshot: WeightSnapshot): void;
}

/** What a run produced and how fast. */
export interface TrainingResult {
  model: Sequential;
  history: History;
  /** Whether it was stopped before its last epoch ended. */
  stopped: boolean;
  /** Images trained on (every step's batch). */
  images: number;
  /** Seconds of training steps and batch gathering: without the dev evaluations and without pauses. */
  trainingSeconds: number;
}

/** Milliseconds between weight snapshots while training. */
const WEIGHT_INTERVAL_MS = 500;

/**
 * Trains the network the settings describe on MNIST's training images: the last {@link DEV_SIZE} are held out and
 * reported after every epoch, the first `trainSize` of the rest are trained on, in seeded shuffled batches gathered
 * from the bytes by a `BatchLoader` (augmented if asked). Runs in the page's training worker, and in Node.js for the
 * speed comparison (scripts/measure.ts), so both time the same code.
 *
 * @param train - MNIST's 60 000 training images
 * @throws {@link SettingsError} for settings that cannot train; `NonFiniteLossError` when the loss diverges
 */
export async function trainRun(
  settings: TrainingSettings,
  train: ImageDataset,
  observer: TrainingObserver,
  controls: { signal: AbortSignal; gate: PauseGate },
): Promise<TrainingResult> {
  const problems = settingsProblems(settings);
  if (problems.length > 0) throw new SettingsError(problems.join('; '));
  const split = trainDevSplit(train, { devSize: DEV_SIZE });
  const subset = split.train.slice(0, settings.trainSize);
  const layout = settings.architecture === 'cnn' ? 'image' : 'flat';
  const rng = new Random(settings.seed);
  const loader = new BatchLoader(subset, {
    batchSize: settings.batchSize,
    rng,
    layout,
    augment: augmentations(settings),
  });
  const model = place(buildArchitecture(settings.architecture, settings.seed));
  model.compile({
    loss: 'categoricalCrossEntropy',
    optimizer: buildOptimizer(settings, settings.epochs * loader.batchCount),
  });
  observer.begin({
    batchCount: loader.batchCount,
    epochs: settings.epochs,
    trainSize: subset.length,
    devSize: split.dev.length,
    parameters: model.parameterCount(),
  });

  const { gate, signal } = controls;
  let images = 0;
  let trainingMs = 0;
  let epochStart = 0;
  let lastBatchEnd = 0;
  let lastSnapshot = performance.now();
  const snapshot = () => {
    lastSnapshot = performance.now();
    const weight = model.params()[0].value;
    observer.weights({ shape: [...weight.shape], data: Float32Array.from(weight.data) });
  };
  snapshot();
  const history = await model.fit(loader, {
    epochs: settings.epochs,
    validationData: [split.dev.toTensor(layout), split.dev.labels],
    signal,
    callbacks: [
      {
        onEpochBegin: () => {
          epochStart = performance.now() - gate.pausedMs();
          lastBatchEnd = epochStart;
        },
        onBatchBegin: () => gate.wait(),
        onBatchEnd: (logs) => {
          images += logs.size;
          lastBatchEnd = performance.now() - gate.pausedMs();
          observer.batch(logs);
          if (performance.now() - lastSnapshot >= WEIGHT_INTERVAL_MS) snapshot();
        },
        onEpochEnd: (logs) => {
          trainingMs += lastBatchEnd - epochStart;
          epochStart = lastBatchEnd;
          snapshot();
          observer.epoch(logs);
        },
      },
    ],
  });
  // A stopped run's last, incomplete epoch has no onEpochEnd: count its batches here.
  trainingMs += lastBatchEnd - epochStart;
  return {
    model,
    history,
    stopped: history.epochs.length < settings.epochs,
    images,
    trainingSeconds: trainingMs / 1000,
  };
}

function augmentations(settings: TrainingSettings): ImageAugmentation[] {
  if (settings.augmentation === 'none') return [];
  const shiftRotate = [new RandomShift({ maxShift: 2 }), new RandomRotation({ maxDegrees: 10 })];
  return settings.augmentation === 'elastic' ? [...shiftRotate, new ElasticDeformation()] : shiftRotate;
}
