/**
 * A mistake the user can fix (a bad flag, a missing or corrupt file, a diverging run): printed as one line, never as a
 * stack trace unless `--verbose` asks for it. `cause` keeps the library's error behind it, for `--verbose`.
 */
export class CliError extends Error {
  /**
   * @param message - one line that names the flag or file and says what was expected and what was found
   * @param options - `cause`: the error this one explains
   */
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CliError';
  }
}
