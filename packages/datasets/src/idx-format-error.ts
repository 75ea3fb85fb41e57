/**
 * Thrown when bytes are not a valid IDX file (or a dataset's files do not fit together). The message names the file,
 * what was expected and what was found, e.g.
 * `train-labels-idx1-ubyte: expected 60000 labels to match train-images-idx3-ubyte, found 59999`.
 *
 * @example
 * ```ts
 * declare const bytes: Uint8Array; // the contents of digits.idx
 *
 * try {
 *   parseIdx(bytes, { name: 'digits.idx' });
 * } catch (e) {
 *   if (e instanceof IdxFormatError) console.error(e.file, e.expected, e.found);
 * }
 * ```
 */
export class IdxFormatError extends Error {
  /** The file (or the name given for the bytes) that failed. */
  readonly file: string;
  /** What a valid file has at the place that failed. */
  readonly expected: string;
  /** What the file has there instead. */
  readonly found: string;

  /**
   * @param file - the file name, or the name given for the bytes
   * @param expected - what a valid file has, e.g. `a type code in 0x08, 0x09, 0x0B, 0x0C, 0x0D, 0x0E`
   * @param found - what the bytes hold instead, e.g. `0x07`
   */
  constructor(file: string, expected: string, found: string) {
    super(`${file}: expected ${expected}, found ${found}`);
    this.name = 'IdxFormatError';
    this.file = file;
    this.expected = expected;
    this.found = found;
  }
}
