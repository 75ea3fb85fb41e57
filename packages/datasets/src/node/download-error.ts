/** One failed try to fetch a file, as listed by {@link DownloadError}. */
export interface DownloadAttempt {
  /** The URL tried. */
  readonly url: string;
  /** What went wrong: an HTTP status, a dropped connection, a size over the limit, a {@link ChecksumError}, … */
  readonly error: Error;
}

/**
 * Thrown when a file could not be downloaded from any mirror. Each attempt and its cause are listed; an interrupted
 * transfer leaves `<name>.<8 hex digits>.part` in the cache directory, and the next call resumes it.
 *
 * @example
 * ```ts
 * try {
 *   await downloadMnist();
 * } catch (e) {
 *   if (e instanceof DownloadError) for (const { url, error } of e.attempts) console.error(url, error.message);
 * }
 * ```
 */
export class DownloadError extends Error {
  /** The file that could not be downloaded (its name in the cache directory). */
  readonly file: string;
  /** Every attempt, in order, with its error. */
  readonly attempts: readonly DownloadAttempt[];

  /**
   * @param file - the file's name
   * @param attempts - each URL tried and why it failed
   */
  constructor(file: string, attempts: readonly DownloadAttempt[]) {
    const lines = attempts.map(({ url, error }) => `\n  ${url}: ${error.message}`).join('');
    super(`could not download ${file} (${attempts.length} attempt${attempts.length === 1 ? '' : 's'}):${lines}`);
    this.name = 'DownloadError';
    this.file = file;
    this.attempts = Object.freeze([...attempts]);
  }
}
