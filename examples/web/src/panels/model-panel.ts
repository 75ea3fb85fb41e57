import { downloadModel, type LoadedModel, readModel } from '../model/model-file.js';
import { errorText, showAlert } from '../ui/error-text.js';

/**
 * "Keep your model": downloads the current model as a file and opens one. A file that is not a valid model shows the
 * library's own error (a `ModelFormatError` naming the JSON path at fault) in the page, and the current model stays.
 */
export class ModelPanel {
  private model: LoadedModel | undefined;

  constructor(
    private readonly download: HTMLButtonElement,
    open: HTMLInputElement,
    private readonly error: HTMLElement,
    onOpen: (model: LoadedModel) => void,
  ) {
    download.addEventListener('click', () => {
      if (this.model) downloadModel(this.model, fileName(this.model));
    });
    open.addEventListener('change', async () => {
      const file = open.files?.[0];
      // Cleared so that choosing the same file again is a change too.
      open.value = '';
      if (!file) return;
      try {
        const model = readModel(await file.text(), file.name);
        showAlert(this.error, undefined);
        onOpen(model);
      } catch (error) {
        showAlert(this.error, `${file.name} is not a model this page can use. ${errorText(error)}`);
      }
    });
  }

  /** The model that "Download" saves. */
  set current(model: LoadedModel) {
    this.model = model;
    this.download.disabled = false;
  }
}

function fileName(model: LoadedModel): string {
  const layout = model.classifier.layout === 'image' ? 'cnn' : 'mlp';
  const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');
  return `mnist-${layout}-${stamp}.json`;
}
