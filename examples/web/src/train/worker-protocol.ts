// The messages between the page and the training worker, in both directions: the one description both sides read.
import type { EpochLogs } from '@mnist/nn';
import type { BackendInfo } from '../backend.js';
import type { MnistSet } from '../data/load-mnist-set.js';
import type { Architecture } from '../model/architectures.js';
import type { NamedTensor } from '../model/model-from-tensors.js';
import type { TestEvaluation } from '../model/test-evaluation.js';
import type { Progress } from './progress-meter.js';
import type { WeightSnapshot } from './train-run.js';
import type { TrainingSettings } from './training-settings.js';

/** What the page asks of the worker. */
export type ToWorker =
  /** First message: where the site's data files are (the page's URL). */
  | { type: 'init'; siteUrl: string }
  /** Evaluate a model file on the test set; the answer carries the same `id`. */
  | { type: 'evaluate'; id: number; modelText: string }
  | { type: 'train'; settings: TrainingSettings }
  | { type: 'pause' }
  | { type: 'resume' }
  /** End training after the current batch; the model trained so far is still handed back. */
  | { type: 'stop' }
  /** Send test image `index` (0 to 9 999) and its label. */
  | { type: 'test-image'; index: number };

/** What the worker tells the page. */
export type FromWorker =
  | { type: 'backend'; backend: BackendInfo }
  /** Bytes of a set's images file received so far. */
  | { type: 'loading'; set: MnistSet; loaded: number; total: number | undefined }
  | { type: 'evaluation'; id: number; evaluation: TestEvaluation }
  | {
      type: 'train-begin';
      batchCount: number;
      epochs: number;
      trainSize: number;
      devSize: number;
      parameters: number;
    }
  /**
   * The steps since the last message: `position` is each step's place in epochs (epoch + (batch + 1) / batchCount),
   * `loss` and `accuracy` the batch's own.
   */
  | { type: 'batches'; position: Float64Array; loss: Float64Array; accuracy: Float64Array; progress: Progress }
  | { type: 'epoch'; logs: EpochLogs; progress: Progress }
  | { type: 'weights'; snapshot: WeightSnapshot }
  | { type: 'paused' }
  | { type: 'resumed' }
  /**
   * The run is over: the model as its file (`modelText`, for downloads) and as raw tensors (`tensors`, which the page
   * rebuilds it from without decoding the file).
   */
  | {
      type: 'train-end';
      architecture: Architecture;
      modelText: string;
      tensors: NamedTensor[];
      stopped: boolean;
      epochs: EpochLogs[];
      images: number;
      trainingSeconds: number;
    }
  | { type: 'test-image'; index: number; label: number; pixels: Uint8Array }
  /** A request failed: `during` names which; `name` and `message` are the error's. */
  | { type: 'failed'; during: 'backend' | 'evaluate' | 'train' | 'test-image'; name: string; message: string };
