/** The default cap on file, download and decompressed sizes: 256 MiB, over five times MNIST's largest file. */
export const DEFAULT_MAX_BYTES = 256 * 1024 * 1024;

/**
 * Checks a `maxBytes` option: a cap that is `NaN`, negative or fractional would make every size comparison false and
 * so lift the cap. @internal
 * @throws RangeError naming the caller and the value found
 */
export function checkMaxBytes(caller: string, maxBytes: number): void {
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 0) {
    throw new RangeError(`${caller}: maxBytes must be a non-negative integer, found ${maxBytes}`);
  }
}
