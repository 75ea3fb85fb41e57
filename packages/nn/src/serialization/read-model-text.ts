import { constants as bufferConstants } from 'node:buffer';
import { constants, type Stats } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { ModelFileError } from './model-file-error.js';
import { ModelFormatError } from './model-format-error.js';

/** The longest string the engine can hold: a model file is parsed as one JSON text, so it is the largest readable. */
export const MAX_TEXT_BYTES = bufferConstants.MAX_STRING_LENGTH;

/**
 * Reads a model file as text for `loadModelFile`, treating the path as untrusted: only a regular file, opened
 * without blocking (a FIFO opened for reading would wait for a writer) and checked on the open handle, read up to
 * `maxBytes` whatever `fstat` claims (`/proc` files report a size of 0), and decoded as strict UTF-8. @internal
 *
 * @param maxBytes - the largest file to read; default and at most {@link MAX_TEXT_BYTES}
 * @throws {@link ModelFormatError} naming the file for something that is not a regular file, too many bytes or
 *   invalid UTF-8
 * @throws {@link ModelFileError} naming the file when it cannot be opened or read
 */
export async function readModelText(path: string, maxBytes = MAX_TEXT_BYTES): Promise<string> {
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 0) {
    throw new RangeError(`loadModelFile: maxBytes must be an integer ≥ 0, found ${maxBytes}`);
  }
  const limit = Math.min(maxBytes, MAX_TEXT_BYTES);
  const tooLarge = (found: string) =>
    new ModelFormatError(
      '$',
      limit < maxBytes
        ? `the file is ${found}, more than the longest string this JavaScript engine holds (${MAX_TEXT_BYTES} characters)`
        : `the file is ${found}, over the ${maxBytes}-byte limit (maxBytes)`,
      { file: path },
    );
  let handle: FileHandle;
  try {
    // Windows has no O_NONBLOCK (and no FIFOs to open this way); for a regular file the flag changes nothing.
    handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    throw ModelFileError.from(error, 'read', path);
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) {
      throw new ModelFormatError('$', `expected a regular file, found ${fileKind(info)}`, { file: path });
    }
    if (info.size > limit) throw tooLarge(`${info.size} bytes`);
    const bytes = await readAtMost(handle, limit + 1, info.size);
    if (bytes.length > limit) throw tooLarge(`more than ${limit} bytes`);
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch (error) {
      throw new ModelFormatError('$', 'the file is not UTF-8 text', { cause: error, file: path });
    }
  } catch (error) {
    if (error instanceof ModelFormatError) throw error;
    throw ModelFileError.from(error, 'read', path);
  } finally {
    await handle.close();
  }
}

/**
 * Reads up to `limit` bytes from the handle's position to its end. The buffer starts at the size `fstat` gave (plus
 * one byte, to see the end without growing) and doubles as needed, up to `limit`: a size that lies small costs a few
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
