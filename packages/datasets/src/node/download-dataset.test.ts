import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Random } from '@mnist/tensor';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { encodeIdx } from '../encode-idx.js';
import { ChecksumError } from './checksum-error.js';
import { MNIST_REMOTE, type RemoteDataset } from './dataset-files.js';
import { downloadDataset } from './download-dataset.js';
import { DownloadError } from './download-error.js';
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

const dataset = (...names: string[]): RemoteDataset => ({
  mirrors: [],
  files: names.map((name) => ({ name, path: `${name}.gz`, sha256: sha256(raw[name]) })),
});

interface Seen {
  route: string;
  file: string;
  range: string | undefined;
}

describe('downloadDataset on a loopback server', () => {
  let server: Server;
  let base: string;
  let cacheDir: string;
  let requests: Seen[];
  let drops: Map<string, ServerResponse>;

  /**
   * Cuts the connection of a `/drop` response once the client has saved what was sent, so the test does not depend
   * on timing: bytes still queued in the client when a connection dies are lost, which only means resuming earlier.
   */
  async function cutOnceSaved(file: string, bytes: number): Promise<void> {
    const part = join(cacheDir, `${file}.part`);
    const deadline = Date.now() + 5000;
    while ((await stat(part).catch(() => undefined))?.size !== bytes) {
      if (Date.now() > deadline) throw new Error(`${part} never reached ${bytes} bytes`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    drops.get(file)?.socket?.destroy();
  }

  function serve(req: IncomingMessage, res: ServerResponse): void {
    const [, route, path] = /^\/([^/]+)\/(.+)$/.exec(req.url ?? '') ?? [];
    const file = path?.replace(/\.gz$/, '') ?? '';
    const range = req.headers.range;
    requests.push({ route, file, range });
    let body = gz[file];
    if (!body || route === 'missing') {
      res.writeHead(404).end();
      return;
    }
    if (route === 'corrupt') {
      const tampered = raw[file].slice();
      tampered[tampered.length - 1] ^= 1;
      body = gzipSync(tampered);
    }
    if (route === 'huge') {
      res.writeHead(200, { 'content-length': String(10 * 1024 * 1024) });
      res.end();
      return;
    }
    if (route === 'drop' && !drops.has(file)) {
      // Promise the whole file and send half; cutOnceSaved cuts the connection.
      drops.set(file, res);
      res.writeHead(200, { 'content-length': String(body.length) });
      res.write(body.subarray(0, body.length >> 1));
      return;
    }
    const start = Number(/^bytes=(\d+)-$/.exec(range ?? '')?.[1] ?? 0);
    if (start > 0 && route !== 'norange') {
      res.writeHead(206, {
        'content-length': String(body.length - start),
        'content-range': `bytes ${start}-${body.length - 1}/${body.length}`,
      });
      res.end(body.subarray(start));
      return;
    }
    res.writeHead(200, { 'content-length': String(body.length) });
    res.end(body);
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
  });
  afterEach(async () => {
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

  it('rejects a corrupted file with a ChecksumError and never moves it into place', async () => {
    const error = await downloadDataset(dataset('labels.idx'), {
      cacheDir,
      mirrors: [`${base}/corrupt`],
      retries: 1,
    }).catch((e) => e);
    expect(error).toBeInstanceOf(DownloadError);
    expect(error.file).toBe('labels.idx');
    expect(error.attempts).toHaveLength(2);
    const cause = error.attempts[0].error;
    expect(cause).toBeInstanceOf(ChecksumError);
    expect(cause.expected).toBe(sha256(trainLabels));
    expect(error.message).toMatch(
      /could not download labels\.idx \(2 attempts\):\n {2}http:\/\/127\.0\.0\.1:\d+\/corrupt\/labels\.idx\.gz: labels\.idx: expected sha256 /,
    );
    expect(await readdir(cacheDir)).toEqual([]); // no file, no partial
  });

  it('keeps the partial file after a dropped connection and resumes it with a Range request', async () => {
    const options = { cacheDir, mirrors: [`${base}/drop`], retries: 0 };
    const half = gz['images.idx'].length >> 1;
    const download = downloadDataset(dataset('images.idx'), options).catch((e) => e);
    await cutOnceSaved('images.idx', half);
    const error = await download;
    expect(error).toBeInstanceOf(DownloadError);
    expect(error.attempts[0].error.message).toMatch(/connection lost after \d+ bytes \(kept for resuming\)/);
    expect(await readdir(cacheDir)).toEqual(['images.idx.part']); // never looks complete
    const kept = (await readFile(join(cacheDir, 'images.idx.part'))).length;
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

  it('starts over when the server ignores Range', async () => {
    await writeFile(join(cacheDir, 'images.idx.part'), Uint8Array.of(1, 2, 3)); // a stale partial
    await downloadDataset(dataset('images.idx'), { cacheDir, mirrors: [`${base}/norange`] });
    expect(requests[0].range).toBe('bytes=3-');
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

  it('refuses a file larger than maxBytes', async () => {
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

  it('checks its arguments', async () => {
    await expect(downloadDataset(dataset('labels.idx'), { cacheDir })).rejects.toThrow(/at least one mirror/);
    const bad = { mirrors: [base], files: [{ name: 'x', path: 'x', sha256: 'abc' }] };
    await expect(downloadDataset(bad, { cacheDir })).rejects.toThrow(/needs a sha256 of 64 hex digits/);
    const outside = { mirrors: [base], files: [{ name: '../x', path: 'x', sha256: '0'.repeat(64) }] };
    await expect(downloadDataset(outside, { cacheDir })).rejects.toThrow(/plain name/);
  });

  it('produces a directory loadMnist reads', async () => {
    const remote: RemoteDataset = {
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
  });
});
