import { constants, type Stats } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { IdxFormatError } from '../idx-format-error.js';

/** A regular file opened for reading, with the size fstat gave when it was opened. @internal */
export interface OpenedRegularFile {
  /** The open file; the caller closes it. */
  handle: FileHandle;
  /** Its size in bytes when opened (it may change while it is read). */
  size: number;
}

/**
 * Opens a file for reading, refusing anything but a regular file: a FIFO, a device such as `/dev/zero` or a directory
 * reports no meaningful size and could be read forever. The open does not block, because opening a FIFO for reading
 * otherwise waits for a writer before fstat can refuse it; for a regular file the flag changes nothing. (Windows has
 * no `O_NONBLOCK`, and no FIFOs to open this way.) @internal
 *
 * @throws {@link IdxFormatError} naming the path for something other than a regular file; the `fs` error when it
 *   cannot be opened
 */
export async function openRegularFile(path: string): Promise<OpenedRegularFile> {
  const handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new IdxFormatError(path, 'a regular file', describeFileKind(info));
    return { handle, size: info.size };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/**
 * Reads a whole regular file (see {@link openRegularFile}) of at most `maxBytes` bytes. A file that has not changed
 * since it was opened is read into a buffer of exactly its size, with no copy and no spare byte. One that has grown is
 * read on, one byte past `maxBytes` at most (enough to know it is too large); one that has shrunk is returned as far
 * as it goes. @internal
 *
 * @throws {@link IdxFormatError} naming the path for something other than a regular file or a file over `maxBytes`;
 *   the `fs` error when it cannot be opened or read
 */
export async function readRegularFile(path: string, maxBytes: number): Promise<Uint8Array> {
  const { handle, size } = await openRegularFile(path);
  try {
    if (size > maxBytes) throw new IdxFormatError(path, `at most ${maxBytes} bytes (maxBytes)`, `${size} bytes`);
    return await readBounded(handle, size, maxBytes, path);
  } finally {
    await handle.close();
  }
}

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

/** `a FIFO (named pipe)`: what a path that is not a regular file is, for error messages. @internal */
export function describeFileKind(info: Stats): string {
  if (info.isDirectory()) return 'a directory';
  if (info.isFIFO()) return 'a FIFO (named pipe)';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  if (info.isSocket()) return 'a socket';
  return 'something else';
}
