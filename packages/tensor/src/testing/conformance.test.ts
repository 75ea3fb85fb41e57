import { describe, expect, it } from 'vitest';
import type { Backend } from '../backend/backend.js';
import { jsBackend } from '../backend/js/index.js';
import { backendConformanceCases, checkBackendConformance } from './conformance.js';

describe('the conformance suite on the reference backend', () => {
  for (const c of backendConformanceCases(jsBackend)) it(c.name, c.run);
});

describe('the conformance suite catches broken backends', () => {
  const failuresOf = (backend: Backend) => checkBackendConformance(backend).failed.map((f) => f.name);

  it('flags a gemm that ignores β', () => {
    const broken: Backend = {
      ...jsBackend,
      name: 'no-beta',
      gemm: (tA, tB, m, n, k, alpha, a, ao, lda, b, bo, ldb, _beta, c, co, ldc) =>
        jsBackend.gemm(tA, tB, m, n, k, alpha, a, ao, lda, b, bo, ldb, 0, c, co, ldc),
    };
    const failed = failuresOf(broken);
    expect(failed.some((name) => name.includes('β=1'))).toBe(true);
    expect(failed.some((name) => name.includes('β=0 '))).toBe(false);
  });

  it('flags a gemm that writes outside its window of C', () => {
    const broken: Backend = {
      ...jsBackend,
      name: 'overrun',
      gemm: (tA, tB, m, n, k, alpha, a, ao, lda, b, bo, ldb, beta, c, co, ldc) => {
        jsBackend.gemm(tA, tB, m, n, k, alpha, a, ao, lda, b, bo, ldb, beta, c, co, ldc);
        // Clears the padding between rows, as a kernel that assumed ldc = n would.
        if (m > 0 && ldc > n) c[co + n] = 0;
      },
    };
    const report = checkBackendConformance(broken);
    const gemm = report.failed.filter((f) => f.name.includes('gemm'));
    expect(gemm.length).toBeGreaterThan(0);
    expect(gemm[0]?.error.message).toMatch(/outside the \d+×\d+ window/);
  });

  it('flags a softmax that skips the max subtraction', () => {
    const broken: Backend = {
      ...jsBackend,
      name: 'naive-softmax',
      softmaxRows: (rows, cols, x, out) => {
        for (let r = 0; r < rows; r++) {
          let sum = 0;
          for (let j = 0; j < cols; j++) sum += Math.exp(x[r * cols + j]);
          for (let j = 0; j < cols; j++) out[r * cols + j] = Math.exp(x[r * cols + j]) / sum;
        }
      },
    };
    expect(failuresOf(broken)).toContain('naive-softmax: softmaxRows by hand, and without overflow');
  });

  it('flags an adamUpdate that forgets the bias correction', () => {
    const broken: Backend = {
      ...jsBackend,
      name: 'no-bias-correction',
      adamUpdate: (n, lr, b1, b2, eps, wd, _c1, _c2, g, m, v, theta) =>
        jsBackend.adamUpdate(n, lr, b1, b2, eps, wd, 1, 1, g, m, v, theta),
    };
    const failed = failuresOf(broken);
    expect(failed).toContain('no-bias-correction: adamUpdate by hand: one step, with and without weight decay');
    expect(failed).toContain('no-bias-correction: adamUpdate n=33 weightDecay=0');
    expect(failed.every((name) => name.includes('adamUpdate'))).toBe(true);
  });

  it('flags an activation that is not safe in place', () => {
    const broken: Backend = {
      ...jsBackend,
      name: 'gelu-reads-after-write',
      geluBackward: (n, x, dy, dx) => {
        for (let i = 0; i < n; i++) {
          dx[i] = 0;
          const scratch = new Float32Array(1);
          jsBackend.geluBackward(1, x.subarray(i, i + 1), dy.subarray(i, i + 1), scratch);
          dx[i] = scratch[0];
        }
      },
    };
    expect(failuresOf(broken)).toEqual([
      'gelu-reads-after-write: elementwise and row-wise kernels run in place (out === x)',
    ]);
  });

  it('passes every case of a backend that only renames the reference', () => {
    const report = checkBackendConformance({ ...jsBackend, name: 'copy' });
    expect(report.failed).toEqual([]);
    expect(report.passed.length).toBeGreaterThan(100);
  });
});
