/**
 * Thrown when saved model data is not a valid model: the message starts with the JSON path of the first problem
 * (`$.weights["0.weight"].shape`) and says what was expected and what was found.
 */
export class ModelFormatError extends Error {
  /** The JSON path of the offending value, from `$` (the whole document). */
  readonly path: string;

  /**
   * @param path - JSON path of the offending value
   * @param detail - what was expected and what was found
   */
  constructor(path: string, detail: string, options?: { cause?: unknown }) {
    super(`${path}: ${detail}`, options);
    this.name = 'ModelFormatError';
    this.path = path;
  }
}
