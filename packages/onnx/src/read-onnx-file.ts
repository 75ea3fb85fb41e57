import { constants, type Stats } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { ModelFileError } from '@mnist/nn/node';
import { OnnxFormatError } from './onnx-format-error.js';

/**
 * Reads an ONNX file's bytes for `importOnnxFile`, treating the path as untrusted, as `loadModelFile` does: only a
 * regular file, opened without blocking (a FIFO opened for reading would wait for a writer before fstat could refuse
 * it) and checked on the open handle, and never more than `maxBytes` whatever fstat claims (`/proc` files report a
 * size of 0, a file may grow while it is read). @internal
 *
 * @throws {@link OnnxFormatError} naming the file for something that is not a regular file or is over `maxBytes`
 * @throws `ModelFileError` (from `@mnist/nn/node`) naming the file when it cannot be opened or read
 */
export async function readOnnxFile(path: string, maxBytes: number): Promise<Uint8Array> {
  let handle: FileHandle;
  try {
    // Windows has no O_NONBLOCK (and no FIFOs to open this way); for a regular file the flag changes nothing.
    handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    throw ModelFileError.from(error, 'read', path);
  }
  try {
    const info = await handle.stat();
    if (!info.isFile())
      throw new OnnxFormatError(`expected a regular file, found ${fileKind(info)}`, undefined, { file: path });
    const tooLarge = (found: string) =>
      new OnnxFormatError(`expected at most ${maxBytes} bytes (maxBytes), found ${found}`, undefined, { file: path });
    if (info.size > maxBytes) throw tooLarge(`${info.size} bytes`);
    const bytes = await readAtMost(handle, maxBytes + 1, info.size);
    if (bytes.length > maxBytes) throw tooLarge(`more than ${maxBytes} bytes`);
    return bytes;
  } catch (error) {
    if (error instanceof OnnxFormatError) throw error;
    throw ModelFileError.from(error, 'read', path);
  } finally {
    await handle.close();
  }
}

/**
 * Reads up to `limit` bytes from the handle's position to its end. The buffer starts at the size fstat gave (plus one
 * byte, to see the end without growing) and doubles as needed, up to `limit`: a size that lies small costs a few
 * copies, never an unbounded read.
 */
async function readAtMost(handle: FileHandle, limit: number, sizeHint: number): Promise<Uint8Array> {
  let buffer = new Uint8Array(Math.min(limit, Math.max(sizeHint + 1, 1 << 16)));
  let length = 0;
  for (;;) {
    if (length === buffer.length) {
      if (length >= limit) return buffer;
      const grown = new Uint8Array(Math.min(limit, 2 * length));
      grown.set(buffer);
      buffer = grown;
    }
    const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
    if (bytesRead === 0) return buffer.subarray(0, length);
    length += bytesRead;
  }
}

/** What a path that is not a regular file is, for messages. */
function fileKind(info: Stats): string {
  if (info.isDirectory()) return 'a directory';
  if (info.isFIFO()) return 'a FIFO (named pipe)';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  if (info.isSocket()) return 'a socket';
  return 'something else';
}
