import type { TrainingClient } from '../train/training-client.js';
import type { FromWorker } from '../train/worker-protocol.js';
import { showAlert } from '../ui/error-text.js';
import { count, duration, megabytes, percent } from '../ui/format.js';
import type { SettingsForm } from '../ui/settings-form.js';
import type { TrainingCharts } from '../ui/training-charts.js';

/** The elements of "Train in the page". */
export interface TrainElements {
  form: HTMLFormElement;
  train: HTMLButtonElement;
  pause: HTMLButtonElement;
  stop: HTMLButtonElement;
  bar: HTMLProgressElement;
  text: HTMLElement;
  error: HTMLElement;
}

type State = 'idle' | 'training' | 'paused';

/**
 * "Train in the page": starts a run in the worker with the form's settings, shows its progress (epoch, batch, images
 * per second, time left) and feeds the charts; pause, resume and stop. The page's state is in `data-state` on the
 * progress line (`idle`, `training`, `paused`).
 */
export class TrainPanel {
  private state: State = 'idle';
  private epochs = 1;
  private batchCount = 1;
  private latestEpoch = '';
  private latestText = '';

  constructor(
    private readonly elements: TrainElements,
    private readonly settings: SettingsForm,
    private readonly charts: TrainingCharts,
    private readonly client: TrainingClient,
  ) {
    elements.form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.start();
    });
    elements.pause.addEventListener('click', () =>
      client.send(this.state === 'paused' ? { type: 'resume' } : { type: 'pause' }),
    );
    elements.stop.addEventListener('click', () => {
      elements.stop.disabled = true;
      client.send({ type: 'stop' });
    });
    this.setState('idle');
  }

  /** Handles the worker's messages about training; returns whether the message was one. */
  handle(message: FromWorker): boolean {
    switch (message.type) {
      case 'loading':
        if (message.set === 'train' && this.state !== 'idle') {
          this.say(
            `Loading the training images: ${megabytes(message.loaded)}` +
              (message.total ? ` of ${megabytes(message.total)}` : ''),
          );
        }
        return message.set === 'train';
      case 'train-begin':
        this.epochs = message.epochs;
        this.batchCount = message.batchCount;
        this.latestEpoch = '';
        this.elements.text.dataset.devSize = String(message.devSize);
        this.say(`Training ${count(message.parameters)} parameters on ${count(message.trainSize)} images…`);
        return true;
      case 'batches':
        this.charts.addBatches(message.position, message.loss, message.accuracy);
        this.progress(message.progress);
        return true;
      case 'epoch': {
        const { logs } = message;
        this.charts.addEpoch(logs.valLoss ?? Number.NaN, logs.valAccuracy ?? Number.NaN);
        this.latestEpoch = `epoch ${logs.epoch + 1}: dev accuracy ${percent(logs.valAccuracy ?? Number.NaN)}`;
        this.elements.text.dataset.devAccuracy = String(logs.valAccuracy);
        this.progress(message.progress);
        return true;
      }
      case 'paused':
        this.setState('paused');
        this.say(this.latestText);
        return true;
      case 'resumed':
        this.setState('training');
        this.say(this.latestText);
        return true;
      case 'train-end': {
        this.setState('idle');
        const last = message.epochs[message.epochs.length - 1];
        const speed = message.trainingSeconds > 0 ? message.images / message.trainingSeconds : 0;
        this.elements.text.dataset.imagesPerSecond = String(speed);
        this.say(
          `${message.stopped ? `Stopped after ${message.epochs.length} complete epoch${message.epochs.length === 1 ? '' : 's'}` : 'Done'}: ` +
            `${count(message.images)} images in ${duration(message.trainingSeconds)} of training, ${count(speed)} images/s` +
            (last?.valAccuracy === undefined ? '. ' : `, dev accuracy ${percent(last.valAccuracy)}. `) +
            'The drawing pad now uses this model.',
        );
        return true;
      }
      case 'failed':
        if (message.during !== 'train') return false;
        this.setState('idle');
        this.say('Training failed.');
        showAlert(this.elements.error, `${message.name}: ${message.message}`);
        return true;
      default:
        return false;
    }
  }

  private start(): void {
    if (this.state !== 'idle') return;
    const settings = this.settings.read();
    if (!settings) return;
    showAlert(this.elements.error, undefined);
    this.charts.reset();
    this.elements.bar.value = 0;
    delete this.elements.text.dataset.imagesPerSecond;
    delete this.elements.text.dataset.devAccuracy;
    this.setState('training');
    this.say('Starting…');
    this.client.send({ type: 'train', settings });
  }

  private progress(progress: Extract<FromWorker, { type: 'batches' }>['progress']): void {
    const { done, total, imagesPerSecond, secondsLeft } = progress;
    this.elements.bar.value = total > 0 ? done / total : 0;
    const epoch = Math.min(this.epochs, Math.floor(done / this.batchCount) + 1);
    const batch = done - (epoch - 1) * this.batchCount;
    const parts = [`Epoch ${epoch} of ${this.epochs}, batch ${count(batch)} of ${count(this.batchCount)}`];
    if (imagesPerSecond !== undefined) parts.push(`${count(imagesPerSecond)} images/s`);
    if (secondsLeft !== undefined) parts.push(`about ${duration(secondsLeft)} left`);
    if (this.latestEpoch) parts.push(this.latestEpoch);
    this.say(parts.join(' · '));
  }

  private say(text: string): void {
    this.latestText = text;
    this.elements.text.textContent = this.state === 'paused' ? `Paused. ${text}` : text;
  }

  private setState(state: State): void {
    this.state = state;
    const { train, pause, stop, text } = this.elements;
    text.dataset.state = state;
    train.disabled = state !== 'idle';
    pause.disabled = state === 'idle';
    pause.textContent = state === 'paused' ? 'Resume' : 'Pause';
    stop.disabled = state === 'idle';
    this.settings.disabled = state !== 'idle';
  }
}
