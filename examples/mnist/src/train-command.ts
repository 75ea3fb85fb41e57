import { basename } from 'node:path';
import { BatchLoader, RandomRotation, RandomShift } from '@mnist/datasets';
import {
  ConfusionMatrix,
  cosineDecay,
  type EpochLogs,
  type History,
  Momentum,
  NonFiniteLossError,
  type Optimizer,
  type Sequential,
  SGD,
} from '@mnist/nn';
import { saveModelFile } from '@mnist/nn/node';
import { argmax, Random } from '@mnist/tensor';
import { cnn } from './cnn.js';
import { currentBackend } from './current-backend.js';
import { describeCurrentBackend } from './describe-backend.js';
import { asCliError } from './describe-user-error.js';
import { type Io, resolvePath } from './io.js';
import { loadData } from './load-data.js';
import { mlp } from './mlp.js';
import { defaultOut, type Options } from './options.js';
import { prepareOutputPath } from './prepare-output-path.js';
import { ProgressBar } from './progress.js';
import { type SaveModel, saveTrainedModel } from './save-trained-model.js';

/** What a training run measured. */
export interface TrainResult {
  testAccuracy: number;
  testLoss: number;
  devAccuracy: number | undefined;
  epochs: number;
  trainSeconds: number;
  epochSeconds: number[];
  modelPath: string;
  seed: number;
}

/** What {@link trainCommand} does through functions a test may replace. */
export interface TrainDependencies {
  /** Writes the trained model to `--out`. Default `saveModelFile`. */
  saveModel?: SaveModel;
}

/**
 * Trains the classifier, reports progress, evaluates on the test set and saves the model. `--out` is checked before
 * anything else, so a bad one fails at once; a model that cannot be saved there after training is saved to the OS
 * temporary directory instead.
 * @throws {@link CliError} for a bad `--out` or `--data`, a diverging run, or a model saved elsewhere than `--out`
 */
export async function trainCommand(
  options: Options,
  io: Io,
  dependencies: TrainDependencies = {},
): Promise<TrainResult & { model: Sequential }> {
  const say = (text: string) => {
    if (!options.quiet) io.write(`${text}\n`);
  };
  const modelPath = resolvePath(io, options.out);
  await prepareOutputPath(options.out, modelPath, basename(defaultOut(options.model)));
  // Before the data, so that a bad MNIST_BACKEND fails at once; printed after it, once the input is known to be good.
  const backendLine = await describeCurrentBackend();
  const data = await loadData(options, io);
  say(`data: ${data.train.length} training, ${data.dev?.length ?? 0} dev and ${data.test.length} test images`);
  say(backendLine);

  const layout = options.model === 'cnn' ? 'image' : 'flat';
  const augment = options.augment ? [new RandomShift({ maxShift: 2 }), new RandomRotation({ maxDegrees: 10 })] : [];
  const loader = new BatchLoader(data.train, {
    batchSize: options.batchSize,
    rng: new Random(options.seed),
    layout,
    augment,
  });
  // Placed on the backend once: its weights, gradients, optimizer state and layer buffers live in the backend's own
  // memory from here on, and fit places the batches there too.
  const model = (
    options.model === 'cnn' ? cnn(options.seed, options.l2) : mlp(options.seed, 'he', options.dropout, options.l2)
  ).to(currentBackend());
  model.compile({ loss: 'categoricalCrossEntropy', optimizer: optimizer(options, options.epochs * loader.batchCount) });
  say(model.summary(options.model === 'cnn' ? [-1, 1, 28, 28] : undefined));
  say(
    `optimizer: ${describeOptimizer(options)}, batch size ${options.batchSize}, seed ${options.seed}${options.augment ? ', augmented (shifts ±2 px, rotations ±10°)' : ''}`,
  );

  // The dev set stays bytes, as the training set does: each batch is made into floats when it is evaluated.
  const validationData = data.dev
    ? new BatchLoader(data.dev, { batchSize: options.batchSize, shuffle: false, layout })
    : undefined;
  const callbacks = options.quiet
    ? []
    : [new ProgressBar(io, options.epochs, loader.batchCount, (logs) => describeEpoch(logs, options.epochs))];
  const started = performance.now();
  let history: History;
  try {
    history = await model.fit(loader, { epochs: options.epochs, validationData, callbacks });
  } catch (error) {
    if (error instanceof NonFiniteLossError)
      throw asCliError(error, { flag: `--learning-rate ${options.learningRate}` });
    throw error;
  }
  const trainSeconds = (performance.now() - started) / 1000;

  // The test set stays bytes: batches of it are made into floats one at a time, for the score and the confusion matrix.
  // Batches of the training size: the layers' buffers for that size exist already, so evaluating allocates nothing.
  const testBatches = new BatchLoader(data.test, {
    batchSize: options.batchSize,
    rng: new Random(options.seed),
    layout,
  });
  const { loss: testLoss, accuracy: testAccuracy } = model.evaluate(testBatches);
  say(`\ntest: accuracy ${percent(testAccuracy)}, loss ${testLoss.toFixed(4)} on ${data.test.length} images`);
  say(`training took ${trainSeconds.toFixed(1)} s (${(trainSeconds / options.epochs).toFixed(1)} s per epoch)\n`);
  const confusion = new ConfusionMatrix(10);
  for (const batch of testBatches.epoch()) confusion.add(argmax(model.predict(batch.x), -1), batch.y);
  say(`confusion matrix (rows: true digit, columns: predicted)\n${confusion}`);

  await saveTrainedModel(model, modelPath, dependencies.saveModel ?? saveModelFile);
  say(`\nmodel saved to ${modelPath}`);

  const last = history.epochs[history.epochs.length - 1];
  const result: TrainResult = {
    testAccuracy,
    testLoss,
    devAccuracy: last?.valAccuracy,
    epochs: history.epochs.length,
    trainSeconds,
    epochSeconds: history.epochs.map((e) => e.seconds),
    modelPath,
    seed: options.seed,
  };
  if (options.json) io.write(`${JSON.stringify(result)}\n`);
  return { ...result, model };
}

function optimizer(options: Options, totalSteps: number): Optimizer {
  const { momentum } = options;
  // Cosine decay lets the last epochs settle into a minimum instead of bouncing around it at the full rate.
  const learningRate =
    options.schedule === 'cosine' ? cosineDecay(options.learningRate, totalSteps) : options.learningRate;
  switch (options.optimizer) {
    case 'sgd':
      return new SGD({ learningRate });
    case 'heavy-ball':
      return new Momentum({ learningRate, momentum, form: 'heavyBall' });
    case 'nesterov':
      return new Momentum({ learningRate, momentum, nesterov: true });
    default:
      return new Momentum({ learningRate, momentum });
  }
}

function describeOptimizer(options: Options): string {
  const rule = {
    momentum: `momentum, v ← ${options.momentum}·v + ${(1 - options.momentum).toFixed(2)}·g`,
    'heavy-ball': `heavy-ball momentum, v ← ${options.momentum}·v + g`,
    nesterov: `Nesterov momentum (β ${options.momentum})`,
    sgd: 'plain SGD',
  }[options.optimizer];
  const l2 = options.l2 > 0 ? `, L2 λ ${options.l2}` : '';
  return `${rule}, learning rate ${options.learningRate}${options.schedule === 'cosine' ? ' with cosine decay' : ''}${l2}`;
}

function describeEpoch(logs: EpochLogs, epochs: number): string {
  const dev =
    logs.valAccuracy === undefined ? '' : `  dev loss ${logs.valLoss?.toFixed(4)} acc ${percent(logs.valAccuracy)}`;
  return `epoch ${logs.epoch + 1}/${epochs}: loss ${logs.loss.toFixed(4)} acc ${percent(logs.accuracy)}${dev}  ${logs.seconds.toFixed(1)} s`;
}

function percent(x: number): string {
  return `${(100 * x).toFixed(2)}%`;
}
