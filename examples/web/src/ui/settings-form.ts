import type { Architecture } from '../model/architectures.js';
import {
  type Augmentation,
  DEFAULT_LEARNING_RATES,
  DEFAULT_SETTINGS,
  type OptimizerName,
  settingsProblems,
  type TrainingSettings,
} from '../train/training-settings.js';
import { showAlert } from './error-text.js';

/**
 * The training settings form: filled with the defaults, read back as {@link TrainingSettings}, checked with the same
 * rules the worker applies. Choosing another optimizer puts in the learning rate that suits it.
 */
export class SettingsForm {
  constructor(
    private readonly form: HTMLFormElement,
    private readonly problems: HTMLElement,
  ) {
    this.write(DEFAULT_SETTINGS);
    this.field('optimizer').addEventListener('change', () => {
      this.field('learningRate').value = String(DEFAULT_LEARNING_RATES[this.field('optimizer').value as OptimizerName]);
    });
  }

  /** The settings as entered, or `undefined` (with the problems shown under the form) when some are invalid. */
  read(): TrainingSettings | undefined {
    const value = (name: string) => this.field(name).value;
    const architecture = (this.form.elements.namedItem('architecture') as RadioNodeList).value as Architecture;
    const settings: TrainingSettings = {
      architecture,
      optimizer: value('optimizer') as OptimizerName,
      learningRate: Number(value('learningRate')),
      schedule: value('schedule') as TrainingSettings['schedule'],
      batchSize: Number(value('batchSize')),
      epochs: Number(value('epochs')),
      trainSize: Number(value('trainSize')),
      augmentation: value('augmentation') as Augmentation,
      seed: Number(value('seed')),
    };
    const problems = settingsProblems(settings);
    showAlert(this.problems, problems.length > 0 ? `Cannot train: ${problems.join('; ')}.` : undefined);
    return problems.length > 0 ? undefined : settings;
  }

  /** Enables or disables every setting (they are fixed while a run trains). */
  set disabled(disabled: boolean) {
    for (const fieldset of this.form.querySelectorAll<HTMLInputElement | HTMLSelectElement>('input, select')) {
      fieldset.disabled = disabled;
    }
  }

  private write(settings: TrainingSettings): void {
    (this.form.elements.namedItem('architecture') as RadioNodeList).value = settings.architecture;
    for (const name of [
      'optimizer',
      'learningRate',
      'schedule',
      'batchSize',
      'epochs',
      'trainSize',
      'augmentation',
      'seed',
    ] as const) {
      this.field(name).value = String(settings[name]);
    }
  }

  private field(name: string): HTMLInputElement | HTMLSelectElement {
    const element = this.form.elements.namedItem(name);
    if (!(element instanceof HTMLInputElement || element instanceof HTMLSelectElement)) {
      throw new Error(`SettingsForm: the form has no field named ${name}`);
    }
    return element;
  }
}
