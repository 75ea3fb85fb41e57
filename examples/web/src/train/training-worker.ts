// The training worker: trains, evaluates models on the test set and hands out test images, off the page's main thread
// so drawing and the charts stay smooth. It fetches and decodes MNIST itself; the page never holds the training set.
import type { ImageDataset } from '@mnist/datasets';
import { loadModel } from '@mnist/nn';
import { ONNX_LAYERS } from '@mnist/onnx';
import { place, useWorkerBackend } from '../backend.js';
import { loadMnistSet, type MnistSet } from '../data/load-mnist-set.js';
import { tensorsOf } from '../model/model-from-tensors.js';
import { evaluateOnTest } from '../model/test-evaluation.js';
import { PauseGate } from './pause-gate.js';
import { ProgressMeter } from './progress-meter.js';
import { trainRun } from './train-run.js';
import type { FromWorker, ToWorker } from './worker-protocol.js';

/** The worker's global scope, as far as this file uses it (the app is typed against the DOM, not the worker lib). */
interface WorkerScope {
  postMessage(message: FromWorker, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
}
const scope = self as unknown as WorkerScope;

/** Milliseconds between two messages of batch logs: about the rate a chart can usefully redraw. */
const FLUSH_MS = 100;

// The backend is installed before anything builds or loads a model, and every request waits for it.
const backend = useWorkerBackend().then((info) => {
  scope.postMessage({ type: 'backend', backend: info });
  return info;
});
let siteUrl: string | undefined;
const sets = new Map<MnistSet, Promise<ImageDataset>>();
/** The run in progress: how to stop and pause it, and how to send the batches not yet reported. */
let run: { controller: AbortController; gate: PauseGate; flush: () => void } | undefined;

function dataset(set: MnistSet): Promise<ImageDataset> {
  let loading = sets.get(set);
  if (loading === undefined) {
    if (siteUrl === undefined) throw new Error('the page sent no init message');
    loading = loadMnistSet(siteUrl, set, (loaded, total) => scope.postMessage({ type: 'loading', set, loaded, total }));
    // A failed load is not cached: the next request tries again.
    loading.catch(() => sets.delete(set));
    sets.set(set, loading);
  }
  return loading;
}

scope.onmessage = (event) => {
  const message = event.data;
  handle(message).catch((error: unknown) => {
    const during = message.type === 'evaluate' || message.type === 'test-image' ? message.type : 'train';
    const { name, message: text } = error instanceof Error ? error : new Error(String(error));
    scope.postMessage({ type: 'failed', during, name, message: text });
  });
};

async function handle(message: ToWorker): Promise<void> {
  switch (message.type) {
    case 'init':
      siteUrl = message.siteUrl;
      return;
    case 'evaluate': {
      await backend;
      // A model opened from ONNX may hold the exact GELU of @mnist/onnx (PyTorch's default nn.GELU()).
      const model = place(loadModel(message.modelText, { layers: ONNX_LAYERS }));
      const evaluation = evaluateOnTest(model, await dataset('test'));
      scope.postMessage({ type: 'evaluation', id: message.id, evaluation }, [evaluation.mistakeImages.buffer]);
      return;
    }
    case 'test-image': {
      const test = await dataset('test');
      if (!Number.isInteger(message.index) || message.index < 0 || message.index >= test.length) {
        throw new RangeError(`test-image: expected an index from 0 to ${test.length - 1}, found ${message.index}`);
      }
      const pixels = test.images.slice(message.index * 784, (message.index + 1) * 784);
      scope.postMessage({ type: 'test-image', index: message.index, label: test.labels[message.index], pixels }, [
        pixels.buffer,
      ]);
      return;
    }
    case 'train':
      return train(message.settings);
    case 'pause':
      if (run && !run.gate.paused) {
        run.gate.pause();
        // The charts should show every batch trained before the pause.
        run.flush();
        scope.postMessage({ type: 'paused' });
      }
      return;
    case 'resume':
      if (run?.gate.paused) {
        run.gate.resume();
        scope.postMessage({ type: 'resumed' });
      }
      return;
    case 'stop':
      run?.controller.abort();
      // A paused run must reach its next batch to see the stop.
      run?.gate.resume();
      return;
  }
}

async function train(settings: Extract<ToWorker, { type: 'train' }>['settings']): Promise<void> {
  if (run) throw new Error('a training run is already going; stop it first');
  const controls = { controller: new AbortController(), gate: new PauseGate(), flush: () => {} };
  run = controls;
  try {
    await backend;
    const trainSet = await dataset('train');
    let meter: ProgressMeter | undefined;
    let batchCount = 1;
    let pending = { position: [] as number[], loss: [] as number[], accuracy: [] as number[] };
    let lastFlush = performance.now();
    let lastStepMs = 0;
    const clock = () => performance.now() - controls.gate.pausedMs();
    const flush = () => {
      if (!meter || pending.position.length === 0) return;
      const position = Float64Array.from(pending.position);
      const loss = Float64Array.from(pending.loss);
      const accuracy = Float64Array.from(pending.accuracy);
      scope.postMessage({ type: 'batches', position, loss, accuracy, progress: meter.progress() }, [
        position.buffer,
        loss.buffer,
        accuracy.buffer,
      ]);
      pending = { position: [], loss: [], accuracy: [] };
      lastFlush = performance.now();
    };
    controls.flush = flush;
    const result = await trainRun(
      settings,
      trainSet,
      {
        begin: (info) => {
          batchCount = info.batchCount;
          meter = new ProgressMeter(info.batchCount, info.epochs, info.trainSize, info.devSize);
          scope.postMessage({ type: 'train-begin', ...info });
        },
        batch: (logs) => {
          lastStepMs = clock();
          meter?.step(logs.size, lastStepMs);
          pending.position.push(logs.epoch + (logs.batch + 1) / batchCount);
          pending.loss.push(logs.loss);
          pending.accuracy.push(logs.accuracy);
          if (performance.now() - lastFlush >= FLUSH_MS) flush();
        },
        epoch: (logs) => {
          meter?.evaluated((clock() - lastStepMs) / 1000);
          flush();
          scope.postMessage({ type: 'epoch', logs, progress: (meter as ProgressMeter).progress() });
        },
        weights: (snapshot) => scope.postMessage({ type: 'weights', snapshot }, [snapshot.data.buffer]),
      },
      { signal: controls.controller.signal, gate: controls.gate },
    );
    flush();
    const tensors = tensorsOf(result.model);
    scope.postMessage(
      {
        type: 'train-end',
        architecture: settings.architecture,
        modelText: JSON.stringify(result.model.save()),
        tensors,
        stopped: result.stopped,
        epochs: result.history.epochs,
        images: result.images,
        trainingSeconds: result.trainingSeconds,
      },
      tensors.map((t) => t.data.buffer),
    );
  } finally {
    run = undefined;
  }
}
