import { readFile, stat } from 'node:fs/promises';
import { type DecodeIdxOptions, decodeIdx } from '../decode-idx.js';
import { DEFAULT_MAX_BYTES } from '../gunzip.js';
import { IdxFormatError } from '../idx-format-error.js';
import type { IdxData } from '../parse-idx.js';

/**
 * Reads and decodes an IDX file, raw or gzipped (recognised by content, whatever the name). Errors name the path.
 *
 * @param path - the file
 * @param options - `maxBytes` caps both the file and its decompressed size (default 256 MiB)
 * @throws {@link IdxFormatError} for a file over `maxBytes` or any format problem; the `fs` error when it cannot be read
 * @example
 * ```ts
 * const images = await readIdxFile('data/train-images-idx3-ubyte.gz');
 * images.dims; // [60000, 28, 28]
 * ```
 */
export async function readIdxFile(path: string, options: DecodeIdxOptions = {}): Promise<IdxData> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const { size } = await stat(path);
  if (size > maxBytes) throw new IdxFormatError(path, `at most ${maxBytes} bytes (maxBytes)`, `${size} bytes`);
  const bytes = await readFile(path);
  // A Buffer is a Uint8Array; view it as a plain one so the data handed out is not a Buffer.
  return decodeIdx(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), { name: path, ...options });
}
