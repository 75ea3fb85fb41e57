import { loadModel, type Sequential } from '@mnist/nn';
import { place } from '../backend.js';
import { DigitClassifier } from './classifier.js';

/** A model as the page keeps it: runnable, and as the file text it was saved as or loaded from. */
export interface LoadedModel {
  classifier: DigitClassifier;
  /**
   * The model file (`JSON.stringify(model.save())`), what "Download" writes: in this library's format, even for a
   * model opened from ONNX.
   */
  text: string;
  /** Where it came from, for the page: "the shipped model", a file name, "trained here". */
  source: string;
}

/**
 * Loads a model file with the library's own validation (`loadModel` treats it as untrusted input).
 * @throws `ModelFormatError` naming the JSON path of the first problem; `IncompatibleModelError` for a valid model
 *   that does not classify 28×28 digits
 */
export function readModel(text: string, source: string): LoadedModel {
  return { classifier: new DigitClassifier(place(loadModel(text))), text, source };
}

/**
 * Opens a file the user chose: an ONNX model when its name ends in `.onnx`, a model file of this library otherwise.
 * @throws `ModelFormatError`, `OnnxFormatError` or `UnsupportedOnnxError` for a file that holds no model this library
 *   reads; `IncompatibleModelError` for a valid model that does not classify 28×28 digits
 */
export async function openModelFile(file: File): Promise<LoadedModel> {
  if (!file.name.toLowerCase().endsWith('.onnx')) return readModel(await file.text(), file.name);
  return readOnnxModel(new Uint8Array(await file.arrayBuffer()), file.name);
}

/**
 * Imports an ONNX model (`importOnnx` treats the bytes as untrusted input). `@mnist/onnx` and its protobuf decoder are
 * loaded on the first call only: most visits never open an ONNX file, and they need not download it.
 * @throws `OnnxFormatError` for bytes that are not an ONNX model, `UnsupportedOnnxError` naming the node that does not
 *   import; `IncompatibleModelError` for a model that does not classify 28×28 digits
 */
export async function readOnnxModel(bytes: Uint8Array, source: string): Promise<LoadedModel> {
  const { importOnnx } = await import('@mnist/onnx');
  const model = place(importOnnx(bytes));
  return { classifier: new DigitClassifier(model), text: JSON.stringify(model.save()), source };
}

/** A model the page trained, rebuilt from the worker's tensors; `text` is the same model's file. */
export function trainedModel(model: Sequential, text: string, source: string): LoadedModel {
  return { classifier: new DigitClassifier(model), text, source };
}

/** Offers the model file to the user as a download named `name`. */
export function downloadModel(model: LoadedModel, name: string): void {
  const url = URL.createObjectURL(new Blob([model.text], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  // The click has started the download; the URL is no longer needed once this task ends.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
