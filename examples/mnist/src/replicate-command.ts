import { trainDevSplit } from '@mnist/datasets';
import { CrossEntropy, Momentum, NonFiniteLossError, trainStep } from '@mnist/nn';
import { Random } from '@mnist/tensor';
import { CliError } from './cli-error.js';
import { currentBackend } from './current-backend.js';
import { describeCurrentBackend } from './describe-backend.js';
import { asCliError } from './describe-user-error.js';
import type { Io } from './io.js';
import { loadData } from './load-data.js';
import { mlp } from './mlp.js';
import type { Options } from './options.js';

/** What the replication measured. */
export interface ReplicateResult {
  /** Full-batch steps taken. */
  iterations: number;
  /** Dev accuracy after the last step. */
  devAccuracy: number;
  /** Whether the target was passed. */
  reached: boolean;
  /** Wall-clock seconds of training (dev evaluations included). */
  seconds: number;
  /** Test accuracy of the final weights. */
  testAccuracy: number;
}

/**
 * The original NumPy network, step for step: 1 000 training images held out as a dev set at random, the other
 * 59 000 used all at once in every step (full-batch gradient descent), `randn·√(1/fanIn)` initialisation, softmax
 * with cross-entropy, and the momentum rule `v ← β·v + (1−β)·dW; W ← W − α·v`. It stops when the dev accuracy
 * passes the original's 95.24% (or after `--iterations`), and reports how long that took.
 *
 * The original lays examples out as columns (`X` is 784 × m); here they are rows, which is the same arithmetic
 * transposed: `Z = W·X + b` there is `Z = X·Wᵀ + b` here, one gemm either way.
 */
export async function replicateCommand(options: Options, io: Io): Promise<ReplicateResult> {
  const say = (text: string) => {
    if (!options.quiet) io.write(`${text}\n`);
  };
  // Before the data, so that a bad MNIST_BACKEND fails at once; printed after it, once the input is known to be good.
  const backendLine = await describeCurrentBackend();
  const data = await loadData({ ...options, devSize: 0 }, io);
  say(backendLine);
  if (data.train.length <= 1000) throw new CliError('replicate needs more than 1 000 training images');
  const { train, dev } = trainDevSplit(data.train, { devSize: 1000, rng: new Random(options.seed) });
  const x = train.toTensor(); // every training image, [59 000, 784]: one batch per step
  const devX = dev.toTensor();
  const model = mlp(options.seed, 'lecun').to(currentBackend());
  const loss = new CrossEntropy();
  const optimizer = new Momentum({ learningRate: options.learningRate, momentum: options.momentum });
  model.compile({ loss, optimizer });
  say(
    `replicating the original: ${train.length} images per step, ${dev.length} dev images, α ${options.learningRate}, β ${options.momentum}`,
  );

  const started = performance.now();
  let devAccuracy = 0;
  let iterations = 0;
  while (iterations < options.iterations) {
    let value: number;
    try {
      value = trainStep(model, loss, optimizer, x, train.labels).loss;
    } catch (error) {
      if (error instanceof NonFiniteLossError) {
        throw asCliError(error, { flag: `--learning-rate ${options.learningRate}` });
      }
      throw error;
    }
    iterations++;
    devAccuracy = model.evaluate(devX, dev.labels).accuracy;
    if (iterations % 10 === 0 || devAccuracy >= options.target) {
      const seconds = (performance.now() - started) / 1000;
      say(
        `iteration ${iterations}: loss ${value.toFixed(4)}, dev accuracy ${(100 * devAccuracy).toFixed(2)}%, ${seconds.toFixed(0)} s`,
      );
    }
    if (devAccuracy >= options.target) break;
    if (iterations % 5 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  const seconds = (performance.now() - started) / 1000;
  const testAccuracy = model.evaluate(data.test.toTensor(), data.test.labels).accuracy;
  const reached = devAccuracy >= options.target;
  say(
    reached
      ? `passed ${(100 * options.target).toFixed(2)}% dev accuracy after ${iterations} iterations in ${seconds.toFixed(1)} s; test accuracy ${(100 * testAccuracy).toFixed(2)}%`
      : `stopped after ${iterations} iterations (${seconds.toFixed(1)} s) at ${(100 * devAccuracy).toFixed(2)}% dev accuracy; test accuracy ${(100 * testAccuracy).toFixed(2)}%`,
  );
  const result = { iterations, devAccuracy, reached, seconds, testAccuracy };
  if (options.json) io.write(`${JSON.stringify(result)}\n`);
  return result;
}
