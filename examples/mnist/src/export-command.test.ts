import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadMnist } from '@mnist/datasets/node';
import { accuracy } from '@mnist/nn';
import { saveModelFile } from '@mnist/nn/node';
import { argmax, maxAbsDiff, type Tensor } from '@mnist/tensor';
import * as ort from 'onnxruntime-web';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureIo } from './capture-io.js';
import { CliError } from './cli-error.js';
import { exportCommand } from './export-command.js';
import { mlp } from './mlp.js';
import { parseOptions } from './options.js';
import { predictCommand } from './predict-command.js';
import { trainCommand } from './train-command.js';

// ONNX Runtime's WebAssembly build, run in Node from its own files: the reference the exports are checked against. One
// thread, as the machine's other cores run the other test files.
ort.env.wasm.numThreads = 1;

const dir = mkdtempSync(join(tmpdir(), 'mnist-export-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let mnist: Awaited<ReturnType<typeof loadMnist>>;
beforeAll(async () => {
  mnist = await loadMnist();
});

/** The probabilities ONNX Runtime computes with the ONNX file `path` for `x`, through `export`'s input and output. */
async function runOnnxRuntime(path: string, x: Tensor): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(new Uint8Array(readFileSync(path)));
  try {
    const outputs = await session.run({ input: new ort.Tensor('float32', x.data, [...x.shape]) });
    return outputs.probabilities.data as Float32Array;
  } finally {
    await session.release();
  }
}

function run(...args: string[]) {
  return { options: parseOptions([...args, '--quiet']), io: captureIo(dir) };
}

describe('pnpm mnist export: ONNX Runtime runs the example’s networks trained on real MNIST as we do', () => {
  // Briefly trained, but on the real training images: the weights are far from their initial values (the accuracy,
  // 79% and 41% on these seeds, is well above the 10% of chance) and the CNN's batch norm holds running statistics of
  // real data. The MLP sees 3 000 images for an epoch, the costlier CNN 400.
  it.each([
    ['mlp', 3000, 'flat', 0.6],
    ['cnn', 400, 'image', 0.25],
  ] as const)(
    'the %s, trained on %i images: within 1e-5 of our probabilities on 1 000 test images',
    { timeout: 60_000 },
    async (model, trainSize, layout, floor) => {
      const train = run('--model', model, '--epochs', '1', '--train-size', String(trainSize), '--dev-size', '0');
      const trained = await trainCommand({ ...train.options, testSize: 100, out: `${model}.json` }, train.io);
      const exported = await exportCommand(
        run('export', '--model', `${model}.json`, '--onnx', `onnx/${model}.onnx`).options,
        train.io,
      );
      expect(exported.onnxPath).toBe(join(dir, 'onnx', `${model}.onnx`));

      const test = mnist.test.slice(0, 1000);
      const x = test.toTensor(layout);
      const ours = trained.model.predict(x, { batchSize: 500 });
      expect(accuracy(ours, test.labels)).toBeGreaterThan(floor);
      const theirs = await runOnnxRuntime(exported.onnxPath, x);
      expect(theirs).toHaveLength(1000 * 10);
      expect(maxAbsDiff(theirs, ours.data)).toBeLessThanOrEqual(1e-5);

      // And predict reads the ONNX file back, placing the model as it places its own files.
      const back = await predictCommand(
        run('predict', '--model', `onnx/${model}.onnx`, '--index', '0,1,2').options,
        train.io,
      );
      expect(back.map((p) => p.predicted)).toEqual(Array.from(argmax(ours, -1)).slice(0, 3));
    },
  );
});

describe('pnpm mnist export and predict refuse what they cannot do, in one line naming the flag and the file', () => {
  beforeAll(async () => {
    await saveModelFile(mlp(1), join(dir, 'mlp-untrained.json'));
    writeFileSync(join(dir, 'garbage.onnx'), 'not protobuf');
    mkdirSync(join(dir, 'folder.onnx'));
  });

  async function refusal(command: Promise<unknown>): Promise<string> {
    const error = await command.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CliError);
    return (error as CliError).message;
  }

  it('export without --onnx, or to a directory', async () => {
    expect(await refusal(exportCommand(run('export', '--model', 'mlp-untrained.json').options, captureIo(dir)))).toBe(
      'export needs --onnx FILE, the ONNX file to write; see --help',
    );
    expect(
      await refusal(
        exportCommand(run('export', '--model', 'mlp-untrained.json', '--onnx', '.').options, captureIo(dir)),
      ),
    ).toBe(`--onnx: ${dir} is a directory; give a file name, such as ${join(dir, 'mlp-untrained.onnx')}`);
  });

  it('export of a missing model', async () => {
    expect(
      await refusal(exportCommand(run('export', '--model', 'none.json', '--onnx', 'x.onnx').options, captureIo(dir))),
    ).toBe(`no model at ${join(dir, 'none.json')}; train one first with 'pnpm mnist' (or pass --model FILE)`);
  });

  it('predict of an ONNX file that is missing, not a regular file, or not ONNX', async () => {
    const predict = (path: string) => predictCommand(run('predict', '--model', path).options, captureIo(dir));
    expect(await refusal(predict('none.onnx'))).toMatch(/^no model at \/.*\/none\.onnx; train one first/);
    expect(await refusal(predict('folder.onnx'))).toBe(
      `--model: ${join(dir, 'folder.onnx')}: expected a regular file, found a directory`,
    );
    expect(await refusal(predict('garbage.onnx'))).toMatch(
      /^--model: \/.*\/garbage\.onnx: not an ONNX model: the bytes are not a valid protobuf ModelProto/,
    );
  });
});
