import { downloadModel, type LoadedModel, openModelFile } from '../model/model-file.js';
import { errorText, showAlert } from '../ui/error-text.js';

/**
 * "Keep your model": downloads the current model as a file and opens one, in this library's format or as ONNX. A file
 * that is not a valid model shows the library's own error in the page (a `ModelFormatError` naming the JSON path at
 * fault, an `OnnxFormatError` or an `UnsupportedOnnxError` naming the ONNX node), and the current model stays.
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
        const model = await openModelFile(file);
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
