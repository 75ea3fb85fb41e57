import { createHash } from 'node:crypto';
import { existsSync, fstatSync, statSync } from 'node:fs';
import { type FileHandle, mkdir, mkdtemp, open, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Random } from '@mnist/tensor';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { encodeIdx } from '../encode-idx.js';
import { IdxFormatError } from '../idx-format-error.js';
import { CHUNK_SLACK, meterInflation, PREFIX_BYTES } from '../inflation-meter.test-helper.js';
import { ChecksumError } from './checksum-error.js';
import { MNIST_REMOTE, type RemoteDataset, type RemoteFile } from './dataset-files.js';
import { downloadDataset, partPath } from './download-dataset.js';
import { DownloadError } from './download-error.js';
import { hasFifos, makeFifo, releaseFifo } from './fifo.test-helper.js';
import { loadMnist } from './load-mnist.js';
import { mnistDataDir } from './mnist-data-dir.js';

/** Random (incompressible) images, so the gzip is large enough to cut in half. */
function randomIdx(count: number, seed: number): Uint8Array {
  const rng = new Random(seed);
  const data = Uint8Array.from({ length: count * 28 * 28 }, () => rng.int(256));
  return encodeIdx({ type: 'uint8', dims: [count, 28, 28], data });
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

const trainImages = randomIdx(60, 1);
const trainLabels = encodeIdx({ type: 'uint8', dims: [60], data: Uint8Array.from({ length: 60 }, (_, i) => i % 10) });
const raw: Record<string, Uint8Array> = { 'images.idx': trainImages, 'labels.idx': trainLabels };
const gz: Record<string, Uint8Array> = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, gzipSync(v)]));
/** The labels file, then 16 MiB of zeros: 16 KiB of gzip whose IDX header is honest and whose data never ends. */
const labelsBomb = (() => {
  const content = new Uint8Array(trainLabels.length + 16 * 1024 * 1024);
  content.set(trainLabels);
  return gzipSync(content);
})();

const dataset = (...names: string[]): RemoteDataset => ({
  name: 'fixture',
  mirrors: [],
  files: names.map((name) => ({ name, path: `${name}.gz`, sha256: sha256(raw[name]) })),
});

interface Seen {
  route: string;
  file: string;
  range: string | undefined;
  encoding: string | undefined;
}

describe('downloadDataset on a loopback server', () => {
  let server: Server;
  let base: string;
  let cacheDir: string;
  let requests: Seen[];
  let drops: Map<string, ServerResponse>;
  let fifos: string[];

  /** The partial file that a download of `file` from `route` uses. */
  const partOf = (file: string, route: string) => partPath(join(cacheDir, file), `${base}/${route}/${file}.gz`);

  /**
   * Cuts the connection of a `/drop` response once the client has saved what was sent, so the test does not depend
   * on timing: bytes still queued in the client when a connection dies are lost, which only means resuming earlier.
   */
  async function cutOnceSaved(file: string, bytes: number): Promise<void> {
    const part = partOf(file, 'drop');
    const deadline = Date.now() + 5000;
    while ((await stat(part).catch(() => undefined))?.size !== bytes) {
      if (Date.now() > deadline) throw new Error(`${part} never reached ${bytes} bytes`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    drops.get(file)?.socket?.destroy();
  }

  /** Sends `body`, or its tail from a `Range: bytes=N-` request, answering 416 when N is at or past the end. */
  function sendRanged(req: IncomingMessage, res: ServerResponse, body: Uint8Array, headers = {}): void {
    const start = Number(/^bytes=(\d+)-$/.exec(req.headers.range ?? '')?.[1] ?? 0);
    if (start >= body.length && start > 0) {
      res.writeHead(416, { 'content-range': `bytes */${body.length}` }).end();
    } else if (start > 0) {
      res.writeHead(206, {
        ...headers,
        'content-length': String(body.length - start),
        'content-range': `bytes ${start}-${body.length - 1}/${body.length}`,
      });
      res.end(body.subarray(start));
    } else {
      res.writeHead(200, { ...headers, 'content-length': String(body.length) });
      res.end(body);
    }
  }

  function serve(req: IncomingMessage, res: ServerResponse): void {
    const [, route, path] = /^\/([^/]+)\/(.+)$/.exec(req.url ?? '') ?? [];
    const file = path?.replace(/\.gz$/, '') ?? '';
    const encoding = req.headers['accept-encoding'];
    requests.push({ route, file, range: req.headers.range, encoding });
    let body = gz[file];
    if (!body || route === 'missing') {
      res.writeHead(404).end();
      return;
    }
    switch (route) {
      case 'corrupt': {
        const tampered = raw[file].slice();
        tampered[tampered.length - 1] ^= 1;
        body = gzipSync(tampered);
        break;
      }
      case 'huge':
        res.writeHead(200, { 'content-length': String(10 * 1024 * 1024) });
        res.end();
        return;
      case 'drop':
        if (drops.has(file)) break;
        // Promise the whole file and send half; cutOnceSaved cuts the connection.
        drops.set(file, res);
        res.writeHead(200, { 'content-length': String(body.length) });
        res.write(body.subarray(0, body.length >> 1));
        return;
      case 'norange':
        res.writeHead(200, { 'content-length': String(body.length) });
        res.end(body);
        return;
      case 'plain': // the same content, not gzipped: other bytes at every offset
        sendRanged(req, res, raw[file]);
        return;
      case 'negotiate': // compresses on the fly for clients that accept gzip, as many servers do
        if (/gzip/.test(encoding ?? '')) {
          sendRanged(req, res, gzipSync(raw[file], { level: 1 }), { 'content-encoding': 'gzip' });
        } else {
          sendRanged(req, res, raw[file]);
        }
        return;
      case 'encoded': // Content-Encoding whatever the client asks for
        sendRanged(req, res, body, { 'content-encoding': 'gzip' });
        return;
      case 'bomb':
        sendRanged(req, res, labelsBomb);
        return;
    }
    sendRanged(req, res, body);
  }

  beforeAll(async () => {
    server = createServer(serve);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(async () => {
    cacheDir = await mkdtemp(join(tmpdir(), 'datasets-download-'));
    requests = [];
    drops = new Map();
    fifos = [];
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
    for (const fifo of fifos) await releaseFifo(fifo);
    await rm(cacheDir, { recursive: true, force: true });
  });

  it('downloads, verifies and stores the decompressed files, then serves them from the cache', async () => {
    const dir = await downloadDataset(dataset('images.idx', 'labels.idx'), { cacheDir, mirrors: [`${base}/good`] });
    expect(dir).toBe(cacheDir);
    expect((await readdir(cacheDir)).sort()).toEqual(['images.idx', 'labels.idx']);
    expect(new Uint8Array(await readFile(join(cacheDir, 'images.idx')))).toEqual(trainImages);
    expect(requests.map((r) => r.range)).toEqual([undefined, undefined]);
    await downloadDataset(dataset('images.idx', 'labels.idx'), { cacheDir, mirrors: [`${base}/good`] });
    expect(requests).toHaveLength(2); // nothing fetched again
  });

  it('verifies a cached file and downloads it again when it does not match', async () => {
    const options = { cacheDir, mirrors: [`${base}/good`] };
    await downloadDataset(dataset('labels.idx'), options);
    const damaged = new Uint8Array(await readFile(join(cacheDir, 'labels.idx')));
    damaged[damaged.length - 1] ^= 1; // same name, same size, wrong content
    await writeFile(join(cacheDir, 'labels.idx'), damaged);
    await downloadDataset(dataset('labels.idx'), options);
    expect(requests).toHaveLength(2);
    expect(new Uint8Array(await readFile(join(cacheDir, 'labels.idx')))).toEqual(trainLabels);
  });

  it('flushes the verified file to disk before renaming it into place', async () => {
    const probe = await open(join(cacheDir, 'probe'), 'w');
    const handlePrototype = Object.getPrototypeOf(probe) as { sync(): Promise<void> };
    await probe.close();
    await rm(join(cacheDir, 'probe'));
    const sync = handlePrototype.sync;
    const targetExisted: boolean[] = [];
    vi.spyOn(handlePrototype, 'sync').mockImplementation(async function (this: unknown) {
      targetExisted.push(existsSync(join(cacheDir, 'labels.idx')));
      return sync.call(this);
    });
    await downloadDataset(dataset('labels.idx'), { cacheDir, mirrors: [`${base}/good`] });
    expect(targetExisted).toEqual([false]); // one flush, before the file had its name
    expect(new Uint8Array(await readFile(join(cacheDir, 'labels.idx')))).toEqual(trainLabels);
  });

  it('gives each dataset its own default cache directory', async () => {
    vi.stubEnv('XDG_CACHE_HOME', cacheDir);
    // Two datasets with the same file name and different content, as MNIST and Fashion-MNIST have.
    const digits: RemoteDataset = {
      name: 'digits',
      mirrors: [`${base}/good`],
      files: [{ name: 'data', path: 'images.idx.gz', sha256: sha256(trainImages) }],
    };
    const clothes: RemoteDataset = {
      name: 'clothes',
      mirrors: [`${base}/good`],
      files: [{ name: 'data', path: 'labels.idx.gz', sha256: sha256(trainLabels) }],
    };
    const digitsDir = await downloadDataset(digits);
    const clothesDir = await downloadDataset(clothes);
    expect(digitsDir).toBe(join(cacheDir, 'mnist-ts', 'digits'));
    expect(clothesDir).toBe(join(cacheDir, 'mnist-ts', 'clothes'));
    expect(new Uint8Array(await readFile(join(digitsDir, 'data')))).toEqual(trainImages);
    expect(new Uint8Array(await readFile(join(clothesDir, 'data')))).toEqual(trainLabels);
    await downloadDataset(digits);
    expect(requests).toHaveLength(2);
  });

  it("asks for an unencoded body, so lengths and offsets are the file's own", async () => {
    await downloadDataset(dataset('labels.idx'), { cacheDir, mirrors: [`${base}/negotiate`] });
    expect(requests.map((r) => r.encoding)).toEqual(['identity']);
    expect(new Uint8Array(await readFile(join(cacheDir, 'labels.idx')))).toEqual(trainLabels);
    // A server that encodes anyway is refused at once rather than spliced wrongly later.
    const error = await downloadDataset(dataset('images.idx'), {
      cacheDir,
      mirrors: [`${base}/encoded`],
    }).catch((e) => e);
    expect(error).toBeInstanceOf(DownloadError);
    expect(error.attempts.map((a: { error: Error }) => a.error.message)).toEqual([
      'expected an unencoded body (Accept-Encoding: identity), found Content-Encoding gzip',
    ]);
  });

  it('rejects a corrupted file with a ChecksumError and never moves it into place', async () => {
    const error = await downloadDataset(dataset('labels.idx'), {
      cacheDir,
      mirrors: [`${base}/corrupt`],
      retries: 1,
    }).catch((e) => e);
    expect(error).toBeInstanceOf(DownloadError);
    expect(error.file).toBe('labels.idx');
    expect(error.attempts).toHaveLength(1); // the same URL would serve the same wrong bytes
    const cause = error.attempts[0].error;
    expect(cause).toBeInstanceOf(ChecksumError);
    expect(cause.expected).toBe(sha256(trainLabels));
    expect(error.message).toMatch(
      /could not download labels\.idx \(1 attempt\):\n {2}http:\/\/127\.0\.0\.1:\d+\/corrupt\/labels\.idx\.gz: labels\.idx: expected sha256 /,
    );
    expect(await readdir(cacheDir)).toEqual([]); // no file, no partial
  });

  it('moves on to the next mirror after a ChecksumError instead of retrying the same file', async () => {
    await downloadDataset(dataset('labels.idx'), {
      cacheDir,
      mirrors: [`${base}/corrupt`, `${base}/good`],
      retries: 2,
    });
    expect(requests.map((r) => r.route)).toEqual(['corrupt', 'good']);
    expect(await readdir(cacheDir)).toEqual(['labels.idx']);
  });

  it('keeps the partial file after a dropped connection and resumes it with a Range request', async () => {
    const options = { cacheDir, mirrors: [`${base}/drop`], retries: 0 };
    const half = gz['images.idx'].length >> 1;
    const download = downloadDataset(dataset('images.idx'), options).catch((e) => e);
    await cutOnceSaved('images.idx', half);
    const error = await download;
    expect(error).toBeInstanceOf(DownloadError);
    expect(error.attempts[0].error.message).toMatch(/connection lost after \d+ bytes \(kept for resuming\)/);
    const part = partOf('images.idx', 'drop');
    expect(await readdir(cacheDir)).toEqual([basename(part)]); // never looks complete
    expect(basename(part)).toMatch(/^images\.idx\.[0-9a-f]{8}\.part$/);
    const kept = (await readFile(part)).length;
    expect(kept).toBe(half);

    await downloadDataset(dataset('images.idx'), options);
    expect(requests.map((r) => r.range)).toEqual([undefined, `bytes=${kept}-`]);
    expect(await readdir(cacheDir)).toEqual(['images.idx']);
    expect(new Uint8Array(await readFile(join(cacheDir, 'images.idx')))).toEqual(trainImages);
  });

  it('resumes within one call when retries are allowed', async () => {
    const half = gz['images.idx'].length >> 1;
    const download = downloadDataset(dataset('images.idx'), { cacheDir, mirrors: [`${base}/drop`], retries: 1 });
    await cutOnceSaved('images.idx', half);
    await download;
    expect(requests.map((r) => r.range)).toEqual([undefined, `bytes=${half}-`]);
    expect(await readdir(cacheDir)).toEqual(['images.idx']);
  });

  it("never resumes one mirror's partial file from another mirror", async () => {
    const half = gz['images.idx'].length >> 1;
    const dropped = downloadDataset(dataset('images.idx'), { cacheDir, mirrors: [`${base}/drop`], retries: 0 });
    await cutOnceSaved('images.idx', half);
    await dropped.catch(() => {});
    // The other mirror serves the same content uncompressed: its bytes from `half` on do not continue the gzip.
    await downloadDataset(dataset('images.idx'), { cacheDir, mirrors: [`${base}/plain`] });
    expect(requests.filter((r) => r.route === 'plain')).toEqual([
      { route: 'plain', file: 'images.idx', range: undefined, encoding: 'identity' },
    ]);
    expect(await readdir(cacheDir)).toEqual(['images.idx']); // every partial of the file is gone
    expect(new Uint8Array(await readFile(join(cacheDir, 'images.idx')))).toEqual(trainImages);
  });

  it('starts over when the server ignores Range', async () => {
    await writeFile(partOf('images.idx', 'norange'), Uint8Array.of(1, 2, 3)); // a stale partial
    await downloadDataset(dataset('images.idx'), { cacheDir, mirrors: [`${base}/norange`] });
    expect(requests[0].range).toBe('bytes=3-');
    expect(new Uint8Array(await readFile(join(cacheDir, 'images.idx')))).toEqual(trainImages);
  });

  it('verifies a partial file that HTTP 416 shows to be whole, and restarts one that is too long', async () => {
    const whole = gz['labels.idx'];
    await writeFile(partOf('labels.idx', 'good'), whole); // complete, but cut off before verification
    await downloadDataset(dataset('labels.idx'), { cacheDir, mirrors: [`${base}/good`] });
    expect(requests.map((r) => r.range)).toEqual([`bytes=${whole.length}-`]); // no second download
    expect(await readdir(cacheDir)).toEqual(['labels.idx']);

    requests = [];
    await writeFile(partOf('images.idx', 'good'), new Uint8Array([...gz['images.idx'], 0, 0]));
    await downloadDataset(dataset('images.idx'), { cacheDir, mirrors: [`${base}/good`] });
    expect(requests.map((r) => r.range)).toEqual([`bytes=${gz['images.idx'].length + 2}-`, undefined]);
    expect(new Uint8Array(await readFile(join(cacheDir, 'images.idx')))).toEqual(trainImages);
  });

  it('moves on from a mirror that lacks the file without retrying it', async () => {
    await downloadDataset(dataset('labels.idx'), {
      cacheDir,
      mirrors: [`${base}/missing`, `${base}/good`],
      retries: 3,
    });
    expect(requests.map((r) => r.route)).toEqual(['missing', 'good']);
  });

  it('refuses a file larger than maxBytes and deletes its partial file', async () => {
    await writeFile(partOf('labels.idx', 'huge'), Uint8Array.of(1, 2, 3));
    const error = await downloadDataset(dataset('labels.idx'), {
      cacheDir,
      mirrors: [`${base}/huge`],
      maxBytes: 1 << 20,
    }).catch((e) => e);
    expect(error).toBeInstanceOf(DownloadError);
    expect(error.attempts).toHaveLength(1);
    expect(error.attempts[0].error.message).toBe(
      'expected at most 1048576 bytes (maxBytes), found Content-Length 10485760',
    );
    expect(await readdir(cacheDir)).toEqual([]);
  });

  it("refuses a directory under a cached file's name, without deleting it", async () => {
    const target = join(cacheDir, 'labels.idx');
    await mkdir(target);
    const error = await downloadDataset(dataset('labels.idx'), { cacheDir, mirrors: [`${base}/good`] }).catch((e) => e);
    expect(error).toBeInstanceOf(IdxFormatError);
    expect(error.message).toBe(`${target}: expected a regular file, found a directory`);
    expect(statSync(target).isDirectory()).toBe(true);
    expect(requests).toEqual([]);
  });

  it.skipIf(!hasFifos)("refuses a FIFO under a cached file's name without waiting for a writer", async () => {
    const target = join(cacheDir, 'labels.idx');
    makeFifo(target);
    fifos.push(target);
    const error = await downloadDataset(dataset('labels.idx'), { cacheDir, mirrors: [`${base}/good`] }).catch((e) => e);
    expect(error).toBeInstanceOf(IdxFormatError);
    expect(error.message).toBe(`${target}: expected a regular file, found a FIFO (named pipe)`);
    expect(requests).toEqual([]);
  });

  it.skipIf(!hasFifos)("never blocks on a FIFO under a partial file's name", async () => {
    // Refused before any request to the mirror whose partial file it is, and the next mirror is tried.
    const part = partOf('labels.idx', 'good');
    makeFifo(part);
    fifos.push(part);
    await downloadDataset(dataset('labels.idx'), { cacheDir, mirrors: [`${base}/good`, `${base}/plain`] });
    expect(requests.map((r) => r.route)).toEqual(['plain']);
    expect(new Uint8Array(await readFile(join(cacheDir, 'labels.idx')))).toEqual(trainLabels);
    expect(existsSync(part)).toBe(false); // every partial file of labels.idx is cleared once it is in place
  });

  it.skipIf(!hasFifos)('never blocks on a FIFO under the temporary name of a verified file', async () => {
    // Where the verified content is written before its rename: the FIFO is replaced, not opened.
    const temporary = join(cacheDir, `images.idx.${process.pid}.tmp`);
    makeFifo(temporary);
    fifos.push(temporary);
    await downloadDataset(dataset('images.idx'), { cacheDir, mirrors: [`${base}/good`] });
    expect(new Uint8Array(await readFile(join(cacheDir, 'images.idx')))).toEqual(trainImages);
    expect(existsSync(temporary)).toBe(false);
  });

  it('stops hashing a cached file that grows without end while it is read', async () => {
    const options = { cacheDir, mirrors: [`${base}/good`], maxBytes: 4 << 20 };
    await downloadDataset(dataset('labels.idx'), options);
    const target = join(cacheDir, 'labels.idx');
    const inode = statSync(target).ino;
    // Every read of the cached file returns as many bytes as asked, as a file being appended to faster than it is
    // read does; reads of other files are left alone.
    const probe = await open(join(cacheDir, 'probe'), 'w');
    const prototype = Object.getPrototypeOf(probe) as FileHandle;
    await probe.close();
    await rm(join(cacheDir, 'probe'));
    const read = prototype.read;
    let endless: FileHandle | undefined; // the first handle to read the cached file; a later file may reuse its inode
    let endlessBytes = 0;
    vi.spyOn(prototype, 'read').mockImplementation(async function (this: FileHandle, ...args: unknown[]) {
      const [buffer, offset, length] = args as [Uint8Array, number, number];
      if (endless === undefined && fstatSync(this.fd).ino === inode) endless = this;
      if (this !== endless) return (read as (...a: unknown[]) => Promise<unknown>).apply(this, args);
      endlessBytes += length;
      await new Promise((resolve) => setImmediate(resolve)); // a disk read takes a turn of the event loop
      return { bytesRead: length, buffer: buffer.fill(0, offset, offset + length) };
    } as FileHandle['read']);
    await downloadDataset(dataset('labels.idx'), options); // not verified: deleted and downloaded again
    expect(requests).toHaveLength(2);
    expect(endlessBytes).toBeLessThanOrEqual((4 << 20) + (1 << 20)); // maxBytes, and the 1 MiB read that passed it
    vi.restoreAllMocks();
    expect(new Uint8Array(await readFile(target))).toEqual(trainLabels);
  });

  it('inflates a downloaded gzip no further than its IDX header promises', async () => {
    const { outcome, streams } = await meterInflation(() =>
      downloadDataset(dataset('labels.idx'), { cacheDir, mirrors: [`${base}/bomb`] }),
    );
    for (const stream of streams) expect(stream.delivered).toBeLessThanOrEqual(PREFIX_BYTES + CHUNK_SLACK);
    const error = (outcome as PromiseRejectedResult).reason;
    expect(error).toBeInstanceOf(DownloadError);
    expect(error.attempts).toHaveLength(1); // the same URL would serve the same bytes
    expect(error.attempts[0].error).toBeInstanceOf(IdxFormatError);
    expect(error.attempts[0].error.message).toBe(
      'labels.idx.gz: expected 68 bytes in all (8-byte header and 60 bytes of 60 unsigned bytes), found more than 68 bytes once decompressed',
    );
    expect(await readdir(cacheDir)).toEqual([]);
  });

  it('checks its arguments', async () => {
    await expect(downloadDataset(dataset('labels.idx'), { cacheDir })).rejects.toThrow(/at least one mirror/);
    const bad = { name: 'x', mirrors: [base], files: [{ name: 'x', path: 'x', sha256: 'abc' }] };
    await expect(downloadDataset(bad, { cacheDir })).rejects.toThrow(/needs a sha256 of 64 hex digits/);
    const outside = { name: 'x', mirrors: [base], files: [{ name: '../x', path: 'x', sha256: '0'.repeat(64) }] };
    await expect(downloadDataset(outside, { cacheDir })).rejects.toThrow(/plain name/);
    await expect(downloadDataset({ ...dataset('labels.idx'), name: '../up' }, { cacheDir })).rejects.toThrow(
      'downloadDataset: the dataset name must be a plain name (not empty, no / or \\, not starting with .), found "../up"',
    );
    await expect(downloadDataset(dataset('labels.idx'), { cacheDir, mirrors: ['ftp://example.org/'] })).rejects.toThrow(
      'downloadDataset: a mirror must be an http: or https: URL, found ftp://example.org/',
    );
  });

  it('validates every file entry before making any request', async () => {
    const valid = { name: 'labels.idx', path: 'labels.idx.gz', sha256: sha256(trainLabels) };
    const cases: [Partial<RemoteFile>, string][] = [
      [{ name: '' }, 'a file name must be a plain name'],
      [{ name: 'a/b' }, 'a file name must be a plain name'],
      [{ name: 'a\\b' }, 'a file name must be a plain name'],
      [{ name: '..' }, 'a file name must be a plain name'],
      [{ name: 'labels.idx' }, 'expected distinct file names, found labels.idx twice'],
      [{ path: '' }, 'found "" (empty)'],
      [{ path: '/etc/passwd' }, 'found "/etc/passwd" (absolute)'],
      [{ path: '//evil.example/x.gz' }, 'found "//evil.example/x.gz" (protocol-relative)'],
      [{ path: 'https://evil.example/x.gz' }, 'found "https://evil.example/x.gz" (a URL with a scheme)'],
      [{ path: '../x.gz' }, 'found "../x.gz" (an empty, . or .. segment)'],
      [{ path: 'a/../../x.gz' }, '(an empty, . or .. segment)'],
      [{ path: '%2e%2e/x.gz' }, '(an empty, . or .. segment)'],
      [{ path: 'a\\..\\x.gz' }, '(a backslash)'],
    ];
    for (const [change, message] of cases) {
      const remote: RemoteDataset = {
        name: 'fixture',
        mirrors: [`${base}/good`],
        files: [valid, { ...valid, name: 'second', ...change }],
      };
      const error = await downloadDataset(remote, { cacheDir }).catch((e) => e);
      expect(error, JSON.stringify(change)).toBeInstanceOf(RangeError);
      expect(error.message, JSON.stringify(change)).toContain(message);
    }
    expect(requests).toEqual([]); // the valid first file was not fetched either
    expect(await readdir(cacheDir)).toEqual([]);
  });

  it('produces a directory loadMnist reads', async () => {
    const remote: RemoteDataset = {
      name: 'fixture',
      mirrors: [`${base}/good`],
      files: [
        { name: 'train-images-idx3-ubyte', path: 'images.idx.gz', sha256: sha256(trainImages) },
        { name: 'train-labels-idx1-ubyte', path: 'labels.idx.gz', sha256: sha256(trainLabels) },
        { name: 't10k-images-idx3-ubyte', path: 'images.idx.gz', sha256: sha256(trainImages) },
        { name: 't10k-labels-idx1-ubyte', path: 'labels.idx.gz', sha256: sha256(trainLabels) },
      ],
    };
    const { train, test } = await loadMnist({ dir: await downloadDataset(remote, { cacheDir }) });
    expect([train.length, test.length]).toEqual([60, 60]);
    expect(train.labels[13]).toBe(3);
  });
});

describe('MNIST_REMOTE', () => {
  it('lists the SHA-256 of the real decompressed MNIST files', async () => {
    const dir = mnistDataDir() as string;
    for (const file of MNIST_REMOTE.files) {
      expect(sha256(await readFile(join(dir, file.name))), file.name).toBe(file.sha256);
      expect(file.path).toBe(`${file.name}.gz`);
    }
    expect(MNIST_REMOTE.mirrors.every((m) => m.startsWith('https://'))).toBe(true);
    expect(MNIST_REMOTE.name).toBe('mnist');
  });
});
