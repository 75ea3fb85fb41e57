// Run inside the temporary npm project of scripts/check-consumer.mjs, against the installed tarballs. Each entry point
// of a package must share one copy of the package's classes with the others: a second copy of `LayerStateError` makes
// `instanceof` fail across entries (`checkLayer` from `@mnist/nn/testing` rejecting a correct layer with "expected a
// LayerStateError, got LayerStateError"). class-identity.mjs (ESM) and class-identity.cjs (CommonJS) load the entries
// in their own module system and pass them here, so both systems run the same checks. CommonJS so that both can load
// it.
const { mkdirSync, mkdtempSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

/**
 * Runs every check, prints one line per check, and resolves to the number of failures.
 * @param {string} system 'ESM' or 'CommonJS', for the report
 * @param {Record<string, Record<string, any>>} entries the loaded entry points, by specifier
 */
async function runIdentityChecks(system, entries) {
  const tensor = entries['@mnist/tensor'];
  const nn = entries['@mnist/nn'];
  const nnNode = entries['@mnist/nn/node'];
  const nnTesting = entries['@mnist/nn/testing'];
  const tensorTesting = entries['@mnist/tensor/testing'];
  const datasets = entries['@mnist/datasets'];
  const datasetsNode = entries['@mnist/datasets/node'];
  const onnx = entries['@mnist/onnx'];
  const onnxNode = entries['@mnist/onnx/node'];
  const scratch = mkdtempSync(join(tmpdir(), 'mnist-ts-identity-'));
  let failures = 0;

  /** Runs one check; `run` returns (or resolves to) a description of the failure, or nothing. */
  async function check(name, run) {
    let problem;
    try {
      problem = await run();
    } catch (error) {
      problem = `threw ${error?.stack ?? error}`;
    }
    if (problem) failures++;
    console.log(`${problem ? '✗' : '✓'} ${system}: ${name}${problem ? `\n    ${problem}` : ''}`);
  }

  /** Why `promise` did not reject with an instance of `Class`, or nothing if it did. */
  async function rejectsWith(promise, Class) {
    try {
      await promise;
      return `resolved; expected a ${Class.name}`;
    } catch (error) {
      if (!(error instanceof Class)) return `expected a ${Class.name} of the main entry, got ${error?.name}: ${error}`;
    }
  }

  try {
    await check('an export shared by two entries of a package is the same object in both', () => {
      const differing = [];
      for (const [a, exportsA] of Object.entries(entries)) {
        for (const [b, exportsB] of Object.entries(entries)) {
          if (a >= b || packageOf(a) !== packageOf(b)) continue;
          for (const key of Object.keys(exportsA)) {
            if (key !== 'default' && key in exportsB && exportsA[key] !== exportsB[key]) {
              differing.push(`${a} and ${b}: ${key}`);
            }
          }
        }
      }
      if (differing.length > 0) return `different objects under one name: ${differing.join('; ')}`;
    });

    await check('checkLayer (@mnist/nn/testing) accepts a built-in layer of @mnist/nn', () => {
      nnTesting.checkLayer(() => new nn.Dense(3, 2), { inputShape: [4, 3] });
    });

    const model = new nn.Sequential([new nn.Dense(3, 2), new nn.ReLU()], { seed: 1 });
    const path = join(scratch, 'model.json');
    await nnNode.saveModelFile(model, path);

    await check('loadModelFile (@mnist/nn/node) returns a Sequential of @mnist/nn, holding its layers', async () => {
      const loaded = await nnNode.loadModelFile(path);
      if (!(loaded instanceof nn.Sequential))
        return `got a ${loaded?.constructor?.name} that is not instanceof Sequential`;
      if (!(loaded.layers[0] instanceof nn.Dense)) return 'its first layer is not instanceof Dense';
    });

    await check('loadModelFile (@mnist/nn/node) rejects a bad file with the ModelFormatError of @mnist/nn', () => {
      const bad = join(scratch, 'bad-model.json');
      writeFileSync(bad, '{"format": "not a model"}');
      return rejectsWith(nnNode.loadModelFile(bad), nn.ModelFormatError);
    });

    await check('importOnnxFile (@mnist/onnx/node) returns a Sequential of @mnist/nn, holding its layers', async () => {
      const onnxPath = join(scratch, 'model.onnx');
      await onnxNode.exportOnnxFile(model, onnxPath);
      const imported = await onnxNode.importOnnxFile(onnxPath);
      if (!(imported instanceof nn.Sequential)) {
        return `got a ${imported?.constructor?.name} that is not instanceof Sequential`;
      }
      if (!(imported.layers[0] instanceof nn.Dense)) return 'its first layer is not instanceof Dense';
    });

    await check('importOnnxFile (@mnist/onnx/node) rejects a bad file with the OnnxFormatError of @mnist/onnx', () => {
      const bad = join(scratch, 'bad-model.onnx');
      writeFileSync(bad, 'not protobuf');
      return rejectsWith(onnxNode.importOnnxFile(bad), onnx.OnnxFormatError);
    });

    await check('@mnist/nn computes with the Tensor class of @mnist/tensor', () => {
      const y = model.predict(tensor.Tensor.zeros([1, 3]));
      if (!(y instanceof tensor.Tensor))
        return `predict returned a ${y?.constructor?.name}, not a Tensor of @mnist/tensor`;
    });

    await check('@mnist/tensor/testing draws its inputs with the Random class of @mnist/tensor', () => {
      // Random is not exported by the testing entry, so watch the main entry's class: if the conformance suite draws
      // numbers through it, the two entries share it.
      const prototype = tensor.Random.prototype;
      const nextUint32 = prototype.nextUint32;
      let draws = 0;
      prototype.nextUint32 = function countedNextUint32() {
        draws++;
        return nextUint32.call(this);
      };
      try {
        for (const c of tensorTesting.backendConformanceCases(tensor.jsBackend)) {
          c.run();
          if (draws > 0) return;
        }
      } finally {
        prototype.nextUint32 = nextUint32;
      }
      return 'the whole conformance suite ran without one call to Random.prototype.nextUint32 of @mnist/tensor';
    });

    await check(
      'readIdxFile (@mnist/datasets/node) rejects a bad file with the IdxFormatError of @mnist/datasets',
      () => {
        const bad = join(scratch, 'bad-idx');
        writeFileSync(bad, Uint8Array.of(0, 0, 8, 1, 0, 0, 0, 5, 1, 2)); // promises 5 bytes, holds 2
        return rejectsWith(datasetsNode.readIdxFile(bad), datasets.IdxFormatError);
      },
    );

    await check('loadMnist (@mnist/datasets/node) returns ImageDatasets of @mnist/datasets and Tensors', async () => {
      const dir = join(scratch, 'mnist');
      writeTinyMnist(datasets, dir);
      const { train, test } = await datasetsNode.loadMnist({ dir });
      if (!(train instanceof datasets.ImageDataset) || !(test instanceof datasets.ImageDataset)) {
        return 'the sets are not instanceof ImageDataset';
      }
      if (!(train.toTensor() instanceof tensor.Tensor)) return 'toTensor() is not a Tensor of @mnist/tensor';
    });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return failures;
}

/** The package of an entry point: `@mnist/nn` for `@mnist/nn/testing`. */
function packageOf(specifier) {
  return specifier.split('/').slice(0, 2).join('/');
}

/** The four MNIST files, with two blank 28×28 images in each set. */
function writeTinyMnist(datasets, dir) {
  mkdirSync(dir, { recursive: true });
  const images = { type: 'uint8', dims: [2, 28, 28], data: new Uint8Array(2 * 28 * 28) };
  const labels = { type: 'uint8', dims: [2], data: Uint8Array.of(3, 7) };
  for (const set of ['train', 't10k']) {
    writeFileSync(join(dir, `${set}-images-idx3-ubyte`), datasets.encodeIdx(images));
    writeFileSync(join(dir, `${set}-labels-idx1-ubyte`), datasets.encodeIdx(labels));
  }
}

module.exports = { runIdentityChecks };
