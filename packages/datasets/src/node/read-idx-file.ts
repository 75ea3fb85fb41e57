import { constants, type Stats } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { type DecodeIdxOptions, decodeIdx } from '../decode-idx.js';
import { DEFAULT_MAX_BYTES } from '../gunzip.js';
import { IdxFormatError } from '../idx-format-error.js';
import type { IdxData } from '../parse-idx.js';

/**
 * Reads and decodes an IDX file, raw or gzipped (recognised by content, whatever the name). Errors name the path.
 *
 * Only regular files are read: a FIFO, a device such as `/dev/zero` or a directory reports no meaningful size and
 * could be read forever, so it is refused before any byte is read. A file is never read past `maxBytes + 1` bytes,
 * even when it grows while being read.
 *
 * @param path - the file
 * @param options - `maxBytes` caps both the file and its decompressed size (default 256 MiB)
 * @throws {@link IdxFormatError} for something other than a regular file, a file over `maxBytes` or any format
 *   problem; the `fs` error when it cannot be opened
 * @example
 * ```ts
 * const images = await readIdxFile('data/train-images-idx3-ubyte.gz');
 * images.dims; // [60000, 28, 28]
 * ```
 */
export async function readIdxFile(path: string, options: DecodeIdxOptions = {}): Promise<IdxData> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  // Non-blocking, because opening a FIFO for reading otherwise waits for a writer before fstat can refuse it; for a
  // regular file the flag changes nothing. (Windows has no O_NONBLOCK, and no FIFOs to open this way.)
  const handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  let bytes: Uint8Array;
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new IdxFormatError(path, 'a regular file', describeKind(info));
    if (info.size > maxBytes) {
      throw new IdxFormatError(path, `at most ${maxBytes} bytes (maxBytes)`, `${info.size} bytes`);
    }
    bytes = await readBounded(handle, info.size, maxBytes, path);
  } finally {
    await handle.close();
  }
  return decodeIdx(bytes, { name: path, ...options });
}

/**
 * Reads the whole file into a buffer of the size fstat gave, so that a file which has not changed is read with no
 * copy and no spare byte. A file that has grown since is read on, one byte past `maxBytes` at most (enough to know it
 * is too large); one that has shrunk is returned as far as it goes.
 */
async function readBounded(handle: FileHandle, size: number, maxBytes: number, path: string): Promise<Uint8Array> {
  let buffer = new Uint8Array(size);
  let length = 0;
  for (;;) {
    if (length === buffer.length) {
      const probe = new Uint8Array(1);
      if ((await handle.read(probe, 0, 1, null)).bytesRead === 0) return buffer;
      if (length + 1 > maxBytes) {
        throw new IdxFormatError(path, `at most ${maxBytes} bytes (maxBytes)`, `more than ${maxBytes} bytes`);
      }
      const grown = new Uint8Array(Math.min(maxBytes, Math.max(2 * length, length + 65536)));
      grown.set(buffer);
      grown[length++] = probe[0];
      buffer = grown;
      continue;
    }
    const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
    if (bytesRead === 0) return buffer.subarray(0, length);
    length += bytesRead;
  }
}

function describeKind(info: Stats): string {
  if (info.isDirectory()) return 'a directory';
  if (info.isFIFO()) return 'a FIFO (named pipe)';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  if (info.isSocket()) return 'a socket';
  return 'something else';
}
