/**
 * Thrown when saved model data is not a valid model: the message starts with the file (when one was read) and the
 * JSON path of the first problem (`$.weights["0.weight"].shape`), then says what was expected and what was found.
 */
export class ModelFormatError extends Error {
  /** The JSON path of the offending value, from `$` (the whole document). */
  readonly path: string;
  /** What was expected and what was found: the message without the file and the path. */
  readonly detail: string;
  /** The file the model was read from (`loadModelFile`), or `undefined` for data given to `loadModel`. */
  readonly file: string | undefined;

  /**
   * @param path - JSON path of the offending value
   * @param detail - what was expected and what was found
   * @param options - `cause`: the error behind this one; `file`: the file the data came from
   */
  constructor(path: string, detail: string, options: { cause?: unknown; file?: string } = {}) {
    const where = options.file === undefined ? path : `${options.file}: ${path}`;
    super(`${where}: ${detail}`, 'cause' in options ? { cause: options.cause } : undefined);
    this.name = 'ModelFormatError';
    this.path = path;
    this.detail = detail;
    this.file = options.file;
  }

  /** The same error, reported for the file `file`. */
  inFile(file: string): ModelFormatError {
    return new ModelFormatError(this.path, this.detail, 'cause' in this ? { cause: this.cause, file } : { file });
  }
}
