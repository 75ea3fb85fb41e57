import { defaultClientConditions, defineConfig } from 'vite';
import { ISOLATION_HEADERS, isolationHeadersFile } from './vite/isolation-headers.js';
import { mnistDataAssets } from './vite/mnist-data-assets.js';

// `pnpm web` (dev server) and `pnpm web:build` (a static site in dist/). The `@mnist/source` condition compiles the
// packages from their TypeScript sources, as the tests do, so no package build is needed first.
export default defineConfig({
  // Relative URLs, so the site works from any directory of any static host.
  base: './',
  resolve: { conditions: ['@mnist/source', ...defaultClientConditions] },
  worker: { format: 'es' },
  plugins: [mnistDataAssets(), isolationHeadersFile()],
  server: { headers: { ...ISOLATION_HEADERS } },
  preview: { headers: { ...ISOLATION_HEADERS } },
  build: { target: 'es2022', reportCompressedSize: true },
});
