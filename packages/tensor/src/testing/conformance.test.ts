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

  it('flags a gemmBatched that applies β before every product of a summed C', () => {
    const broken: Backend = {
      ...jsBackend,
      name: 'beta-each-time',
      gemmBatched: (product, alpha, a, b, beta, c) => {
        const { count, strideA, strideB, strideC } = product;
        for (let i = 0; i < count; i++) {
          const one = { ...product, count: 1 };
          jsBackend.gemmBatched(
            one,
            alpha,
            a.subarray(i * strideA),
            b.subarray(i * strideB),
            beta,
            c.subarray(i * strideC),
          );
        }
      },
    };
    const failed = failuresOf(broken);
    expect(failed).toContain(
      'beta-each-time: gemmBatched by hand: two products summed into one C (strideC = 0), β ≠ 0',
    );
    expect(failed).toContain('beta-each-time: gemmBatched NT 13×17×19 ×4 summed C α=-2 β=0.25');
    // With β = 1 (or a C per product) the broken kernel is right.
    expect(failed.every((name) => name.includes('summed') && !name.includes('β=1'))).toBe(true);
  });

  it('flags a gemmBatched that writes between its Cs', () => {
    const broken: Backend = {
      ...jsBackend,
      name: 'packed-c',
      gemmBatched: (product, alpha, a, b, beta, c) => {
        jsBackend.gemmBatched(product, alpha, a, b, beta, c);
        // Clears the float after each Cᵢ, as a kernel that assumed strideC = m·ldc would overwrite the next one.
        const { count, m, ldc, strideC } = product;
        for (let i = 0; i < count && strideC > m * ldc; i++) c[i * strideC + m * ldc] = 0;
      },
    };
    const report = checkBackendConformance(broken);
    expect(report.failed.length).toBeGreaterThan(0);
    expect(report.failed.every((f) => f.name.includes('gemmBatched'))).toBe(true);
    const random = report.failed.filter((f) => f.name.includes('separate'));
    expect(random[0]?.error.message).toMatch(/outside every \d+×\d+ Cᵢ/);
  });

  it('flags an im2col that unfolds only the first image of a batch', () => {
    const broken: Backend = {
      ...jsBackend,
      name: 'first-image',
      im2col: (window, x, col) => jsBackend.im2col({ ...window, batch: 1 }, x, col),
    };
    const failed = failuresOf(broken);
    expect(failed).toContain('first-image: im2col, col2im by hand, a batch of two 2×3 images, 2×2 window');
    expect(failed).toContain('first-image: im2col batch 3, 2×6×7 window 3×3 stride 1×1 pad 1×1');
    expect(failed).toContain(
      'first-image: im2col, col2im: images of a batch are independent, batch 3, 2×6×7 window 3×3 stride 1×1 pad 1×1',
    );
    expect(failed.every((name) => name.includes('batch'))).toBe(true);
  });

  it("flags a maxPool2d whose indices point into each image rather than into the batch's x", () => {
    const broken: Backend = {
      ...jsBackend,
      name: 'argmax-per-image',
      maxPool2d: (window, x, out, argmax) => {
        const image = window.channels * window.height * window.width;
        const pooled = window.channels * window.outH * window.outW;
        for (let n = 0; n < window.batch; n++) {
          const [from, to] = [n * pooled, (n + 1) * pooled];
          const images = x.subarray(n * image, (n + 1) * image);
          jsBackend.maxPool2d({ ...window, batch: 1 }, images, out.subarray(from, to), argmax.subarray(from, to));
        }
      },
    };
    const failed = failuresOf(broken);
    expect(failed).toContain(
      'argmax-per-image: maxPool2d, avgPool2d by hand, a batch of two images: argmax indexes the whole batch',
    );
    expect(failed).toContain(
      'argmax-per-image: maxPool2d, maxPool2dBackward batch 2, 3×7×5 window 3×3 stride 2×2 pad 1×1',
    );
    expect(failed.every((name) => name.includes('batch'))).toBe(true);
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
      adamUpdate: (n, step, g, m, v, theta) =>
        jsBackend.adamUpdate(n, { ...step, correction1: 1, correction2: 1 }, g, m, v, theta),
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
