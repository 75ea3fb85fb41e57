import type { Plugin } from 'vite';

/**
 * The two response headers that make a page cross-origin isolated (`crossOriginIsolated === true`), which is what
 * gives it `SharedArrayBuffer` and so lets the `wasm-simd` backend split its work over worker threads. The dev server,
 * `vite preview` and the end-to-end tests' static server all send exactly these; a static host must send them on every
 * response (the page, its scripts and the worker script at least). Without them the site still works, on one thread.
 */
export const ISOLATION_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
});

/**
 * Writes the headers into the site as `_headers`, the file Netlify and Cloudflare Pages read, so that on those hosts
 * the built site is isolated with no setup. Other hosts ignore it (and serve it as a small text file).
 */
export function isolationHeadersFile(): Plugin {
  const lines = Object.entries(ISOLATION_HEADERS).map(([name, value]) => `  ${name}: ${value}`);
  return {
    name: 'isolation-headers-file',
    apply: 'build',
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: '_headers', source: `/*\n${lines.join('\n')}\n` });
    },
  };
}
