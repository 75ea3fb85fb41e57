import { type DecodeIdxOptions, decodeIdx } from '../decode-idx.js';
import { checkMaxBytes, DEFAULT_MAX_BYTES } from '../max-bytes.js';
import type { IdxData } from '../parse-idx.js';
import { readRegularFile } from './read-regular-file.js';

/**
 * Reads and decodes an IDX file, raw or gzipped (recognised by content, whatever the name). Errors name the path.
 *
 * Only regular files are read: a FIFO, a device such as `/dev/zero` or a directory reports no meaningful size and
 * could be read forever, so it is refused before any byte is read (and a FIFO without a writer cannot hang the
 * open). A file is never read past `maxBytes + 1` bytes, even when it grows while being read, and a gzipped file is
 * decompressed no further than its header promises (see {@link decodeIdx}).
 *
 * @param path - the file
 * @param options - `maxBytes` caps both the file and its decompressed size (default 256 MiB)
 * @throws {@link IdxFormatError} for something other than a regular file, a file over `maxBytes` or any format
 *   problem; RangeError for a `maxBytes` that is not a non-negative integer; the `fs` error when it cannot be opened
 * @example
 * ```ts
 * const images = await readIdxFile('data/train-images-idx3-ubyte.gz');
 * images.dims; // [60000, 28, 28]
 * ```
 */
export async function readIdxFile(path: string, options: DecodeIdxOptions = {}): Promise<IdxData> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  checkMaxBytes('readIdxFile', maxBytes);
  const bytes = await readRegularFile(path, maxBytes);
  return decodeIdx(bytes, { ...options, name: options.name ?? path });
}
