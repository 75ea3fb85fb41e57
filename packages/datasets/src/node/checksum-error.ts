/**
 * A downloaded file whose content does not have the expected SHA-256: a corrupt or tampered download. The file is
 * deleted, never moved into place. Reported as one of the {@link DownloadError.attempts}.
 */
export class ChecksumError extends Error {
  /** The file's name in the cache directory. */
  readonly file: string;
  /** The expected SHA-256, in hex. */
  readonly expected: string;
  /** The SHA-256 of what was received, in hex. */
  readonly found: string;

  /**
   * @param file - the file's name
   * @param expected - the SHA-256 it should have
   * @param found - the SHA-256 it has
   */
  constructor(file: string, expected: string, found: string) {
    super(`${file}: expected sha256 ${expected}, found ${found}; the corrupt download was deleted`);
    this.name = 'ChecksumError';
    this.file = file;
    this.expected = expected;
    this.found = found;
  }
}
