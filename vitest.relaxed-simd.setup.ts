import { setFlagsFromString } from 'node:v8';

// The `relaxed-simd` test project (vitest.config.ts): V8 11.3, the engine of Node.js 20, validates WebAssembly relaxed
// SIMD only behind a flag, which a project cannot pass to its worker processes; set here, before any test file compiles
// a module, it holds for this process and its worker threads. Later engines (Node.js ≥ 22) have it on already.
if (process.versions.v8.startsWith('11.3.')) setFlagsFromString('--experimental-wasm-relaxed-simd');
