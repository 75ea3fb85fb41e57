/**
 * Testing tools for `@mnist/tensor` backends: the conformance suite every backend must pass, framework-agnostic so it
 * runs under vitest, jest, mocha or `node:test`.
 *
 * @example
 * ```ts
 * import { it } from 'vitest';
 * import { jsBackend } from '@mnist/tensor';
 * import { backendConformanceCases } from '@mnist/tensor/testing';
 * declare const myGemm: Backend['gemm']; // the kernel you wrote
 *
 * const myBackend = { ...jsBackend, name: 'mine', gemm: myGemm };
 * for (const c of backendConformanceCases(myBackend)) it(c.name, c.run);
 * ```
 *
 * @packageDocumentation
 */

export {
  backendConformanceCases,
  type ConformanceCase,
  type ConformanceOptions,
  type ConformanceReport,
  checkBackendConformance,
} from './conformance.js';
