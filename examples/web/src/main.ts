// The page: wires the panels to the model, the drawing pad and the training worker. The main thread's backend is
// installed first, before any model exists (src/backend.ts).
import { type BackendInfo, usePageBackend } from './backend.js';
import { fetchBytes } from './data/fetch-bytes.js';
import { type LoadedModel, readModel, trainedModel } from './model/model-file.js';
import { modelFromTensors } from './model/model-from-tensors.js';
import { DrawPanel } from './panels/draw-panel.js';
import { InsidePanel } from './panels/inside-panel.js';
import { ModelPanel } from './panels/model-panel.js';
import { TrainPanel } from './panels/train-panel.js';
import { TrainingClient } from './train/training-client.js';
import type { FromWorker } from './train/worker-protocol.js';
import { showBackend } from './ui/backend-status.js';
import { errorText, showAlert } from './ui/error-text.js';
import { percent } from './ui/format.js';
import { SettingsForm } from './ui/settings-form.js';
import { TrainingCharts } from './ui/training-charts.js';

/** The model file that ships with the site (made by `pnpm mnist`; see the README). */
const SHIPPED_MODEL = 'pretrained/mnist-mlp.json';

const pageBackend = usePageBackend();
let workerBackend: BackendInfo | undefined;
let model: LoadedModel | undefined;
let evaluationId = 0;

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const backendStatus = byId('backend-status');
const modelStatus = byId('model-status');
const testDigit = byId<HTMLButtonElement>('test-digit');
const draw = new DrawPanel(byId('pad'), byId('preview'), byId('bars'), byId('clear'));
const inside = new InsidePanel(
  {
    weights: byId('weights'),
    weightsCaption: byId('weights-caption'),
    confusion: byId('confusion'),
    confusionCaption: byId('confusion-caption'),
    mistakes: byId('mistakes'),
    mistakesCaption: byId('mistakes-caption'),
  },
  (pixels) => draw.showImage(pixels),
);
const keep = new ModelPanel(byId('download-button'), byId('open-model'), byId('model-error'), use);
const client = new TrainingClient(onWorkerMessage, (message) =>
  showAlert(byId('train-error'), `The training worker stopped: ${message}`),
);
const train = new TrainPanel(
  {
    form: byId('settings'),
    train: byId('train-button'),
    pause: byId('pause-button'),
    stop: byId('stop-button'),
    bar: byId('progress-bar'),
    text: byId('progress-text'),
    error: byId('train-error'),
  },
  new SettingsForm(byId('settings'), byId('settings-problems')),
  new TrainingCharts(byId('loss-chart'), byId('accuracy-chart')),
  client,
);
showBackend(backendStatus, pageBackend, undefined);
testDigit.addEventListener('click', () =>
  client.send({ type: 'test-image', index: Math.floor(Math.random() * 10_000) }),
);

/** Makes `next` the model everything uses: the pad, the pictures of its insides, the download. */
function use(next: LoadedModel): void {
  model = next;
  draw.use(next.classifier);
  inside.showModel(next.classifier.model);
  inside.evaluating();
  keep.current = next;
  modelStatus.textContent = `Model: ${next.source}. Its test accuracy is being measured…`;
  client.send({ type: 'evaluate', id: ++evaluationId, modelText: next.text });
}

function onWorkerMessage(message: FromWorker): void {
  if (train.handle(message)) {
    if (message.type === 'train-end') {
      const source = `trained here (${message.stopped ? 'stopped early' : 'complete'})`;
      use(trainedModel(modelFromTensors(message.architecture, message.tensors), message.modelText, source));
    }
    return;
  }
  switch (message.type) {
    case 'backend':
      workerBackend = message.backend;
      showBackend(backendStatus, pageBackend, workerBackend);
      return;
    case 'weights':
      inside.showWeights(message.snapshot);
      return;
    case 'evaluation':
      // A model replaced before its evaluation came back: that evaluation is stale.
      if (message.id !== evaluationId || !model) return;
      inside.showEvaluation(message.evaluation);
      modelStatus.textContent = `Model: ${model.source}, ${percent(message.evaluation.accuracy)} on the 10 000 test images.`;
      testDigit.disabled = false;
      return;
    case 'test-image':
      draw.showImage(message.pixels);
      return;
    case 'failed': {
      const error = `${message.name}: ${message.message}`;
      if (message.during === 'evaluate' && model) {
        modelStatus.textContent = `Model: ${model.source}. Its test accuracy could not be measured (${error}).`;
      } else {
        showAlert(byId('model-error'), `Could not load a test image: ${error}`);
      }
      return;
    }
  }
}

fetchBytes(SHIPPED_MODEL)
  .then((bytes) =>
    use(readModel(new TextDecoder().decode(bytes), 'the MLP shipped with this page (made by pnpm mnist)')),
  )
  .catch((error: unknown) => {
    modelStatus.textContent = `The shipped model could not be loaded (${errorText(error)}); open a model file or train one.`;
  });
