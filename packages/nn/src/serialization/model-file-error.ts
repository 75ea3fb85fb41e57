/** What a system error code means, in a sentence that fits after "cannot save the model to <path>: ". */
const REASONS: Readonly<Record<string, string>> = {
  EISDIR: 'it is a directory',
  ENOENT: 'no such file or directory',
  ENOTDIR: 'a part of the path is not a directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOSPC: 'no space left on the device',
  EROFS: 'the file system is read-only',
  EMFILE: 'too many open files',
};

/**
 * Thrown by `saveModelFile` and `loadModelFile` (from `@mnist/nn/node`) when the file system refuses to write or
 * read a model file: the message names the file and the reason, `code` keeps the system error code (`ENOENT`,
 * `EISDIR`, …) and `cause` the original error. A file that can be read but holds no valid model is a
 * `ModelFormatError` instead.
 */
export class ModelFileError extends Error {
  /** The model file's path. */
  readonly file: string;
  /** The system error code, such as `ENOENT`, or `undefined` when the cause had none. */
  readonly code: string | undefined;

  /**
   * @param file - the model file's path
   * @param detail - what was attempted and why it failed
   * @param options - `cause`: the file-system error; `code`: its code
   */
  constructor(file: string, detail: string, options: { cause?: unknown; code?: string } = {}) {
    super(detail, 'cause' in options ? { cause: options.cause } : undefined);
    this.name = 'ModelFileError';
    this.file = file;
    this.code = options.code;
  }

  /**
   * Wraps a file-system error: `cannot <action> <file>: <reason> (<code>)`.
   * @param action - what was attempted, such as `read` or `save the model to`
   */
  static from(error: unknown, action: string, file: string): ModelFileError {
    const code = (error as { code?: unknown } | null)?.code;
    const known = typeof code === 'string' ? code : undefined;
    const reason = (known && REASONS[known]) ?? (error instanceof Error ? error.message : String(error));
    return new ModelFileError(file, `cannot ${action} ${file}: ${reason}${known ? ` (${known})` : ''}`, {
      cause: error,
      code: known,
    });
  }
}
