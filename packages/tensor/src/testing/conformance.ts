import type { Backend } from '../backend/backend.js';
import { jsBackend } from '../backend/js/index.js';
import { addElementwiseCases } from './conformance/elementwise.js';
import { addGemmCases } from './conformance/gemm.js';
import { CaseList } from './conformance/harness.js';
import { addImageCases } from './conformance/images.js';
import { addNormalizationCases } from './conformance/normalization.js';
import { addOptimizerCases } from './conformance/optimizers.js';
import { addPoolingCases } from './conformance/pooling.js';
import { addRowCases } from './conformance/rows.js';

/** One named check of a backend; `run` throws an `Error` describing the first mismatch. */
export interface ConformanceCase {
  /** What is checked, such as `gemm NT 33×17×65 α=0.5 β=1`. */
  readonly name: string;
  /** Runs the check; throws on failure. */
  run(): void;
}

/** Options of {@link backendConformanceCases}. */
export interface ConformanceOptions {
  /** The backend results are compared with. Default: the reference {@link jsBackend}. */
  reference?: Backend;
  /** Seed of the random inputs. Default 1. */
  seed?: number;
  /**
   * Relative tolerance of elementwise and row-wise kernels against the reference. Default `1e-6`; a backend with
   * approximate `exp` may need more.
   */
  rtol?: number;
  /**
   * Where the suite's arrays live: pass a backend's own `allocate` to check the paths it takes for arrays in its own
   * memory (the `wasm-simd` backend runs on those in place). Default: ordinary `Float32Array`s.
   */
  allocate?: (length: number) => Float32Array;
}

/** The outcome of {@link checkBackendConformance}. */
export interface ConformanceReport {
  /** Names of the cases that passed. */
  passed: string[];
  /** Cases that failed, with the error each threw. */
  failed: { name: string; error: Error }[];
}

/**
 * The backend conformance suite, as a list of cases any test runner can run:
 *
 * ```ts
 * import { backendConformanceCases } from '@mnist/tensor/testing';
 * for (const c of backendConformanceCases(myBackend)) it(c.name, c.run);
 * ```
 *
 * Every kernel is checked on hand-computed cases, then on seeded random inputs against the reference backend
 * (`gemm` and `gemmBatched` against a float64 product with a bound that scales with the depth `k`), including odd
 * sizes that fit no tile, `1×N`, `N×1` and empty shapes, and batches of several images for the image kernels. Each
 * case also checks that the kernel writes nothing outside its output window.
 */
export function backendConformanceCases(backend: Backend, options: ConformanceOptions = {}): ConformanceCase[] {
  const list = new CaseList(backend, {
    reference: options.reference ?? jsBackend,
    seed: options.seed ?? 1,
    rtol: options.rtol ?? 1e-6,
    allocate: options.allocate,
  });
  addGemmCases(list);
  addElementwiseCases(list);
  addOptimizerCases(list);
  addRowCases(list);
  addNormalizationCases(list);
  addImageCases(list);
  addPoolingCases(list);
  return list.cases;
}

/** Runs every case of {@link backendConformanceCases} and reports which passed and which failed. */
export function checkBackendConformance(backend: Backend, options: ConformanceOptions = {}): ConformanceReport {
  const report: ConformanceReport = { passed: [], failed: [] };
  for (const c of backendConformanceCases(backend, options)) {
    try {
      c.run();
      report.passed.push(c.name);
    } catch (error) {
      report.failed.push({ name: c.name, error: error instanceof Error ? error : new Error(String(error)) });
    }
  }
  return report;
}
