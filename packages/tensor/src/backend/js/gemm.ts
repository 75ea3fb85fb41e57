import type { Backend } from '../backend.js';

/**
 * The reference gemm: `C = α·op(A)·op(B) + β·C`, cache-blocked and register-tiled in plain TypeScript.
 *
 * The structure is the one GotoBLAS and BLIS made standard (Goto & van de Geijn, "Anatomy of High-Performance Matrix
 * Multiplication", ACM TOMS 2008), scaled down to what a JavaScript engine can keep in registers:
 *
 * - `op(B)` is copied, a block of `KC × NC` at a time, into column panels of width 4, so the inner loop reads it
 *   contiguously whatever the transpose flag was. The panels are `Float64Array`s: the float32 → float64 conversion
 *   then happens once per packed element instead of once per multiply, which measured ~1.8× faster in V8.
 * - `op(A)` is copied 4 rows at a time (`4 × KC`, scaled by α) into a strip that stays in L1.
 * - A 4×4 micro-kernel keeps 16 accumulators in locals (registers, mostly) and does 16 multiply-adds per 8 loads.
 *   Narrower 4×2 and 4×1 kernels finish the last columns, so a width such as 10 wastes no work on padding.
 *
 * Accumulation is in float64, so results are at least as accurate as a float32 dot product.
 */

/** Depth of one packed block: 4·KC float64 of A (8 KiB) sit in L1 while a B block streams from L2. */
const KC = 256;
/** Width of one packed block of B: KC·NC float64 = 256 KiB, sized for a typical L2. */
const NC = 128;
/** Rows per micro-tile. */
const MR = 4;

let packedA: Float64Array | undefined;
let packedB: Float64Array | undefined;
/** Spill area for a partial micro-tile (fewer than 4 rows left). */
const tile = new Float64Array(MR * 4);

/**
 * Unchecked gemm kernel. Arrays are row-major with leading dimensions `lda`, `ldb`, `ldc` and start offsets.
 * `op(A)` is `m × k`, `op(B)` is `k × n`, `C` is `m × n`. When `beta` is 0, `C` is not read (NaN in `C` is overwritten),
 * as in BLAS.
 */
export const gemm: Backend['gemm'] = (
  transA,
  transB,
  m,
  n,
  k,
  alpha,
  a,
  aOffset,
  lda,
  b,
  bOffset,
  ldb,
  beta,
  c,
  cOffset,
  ldc,
) => {
  if (m === 0 || n === 0) return;
  if (k === 0 || alpha === 0) {
    scaleMatrix(m, n, beta, c, cOffset, ldc);
    return;
  }
  packedA ??= new Float64Array(MR * KC);
  packedB ??= new Float64Array(KC * NC);
  const pa = packedA;
  const pb = packedB;

  for (let j0 = 0; j0 < n; j0 += NC) {
    const nc = Math.min(NC, n - j0);
    for (let p0 = 0; p0 < k; p0 += KC) {
      const kc = Math.min(KC, k - p0);
      // The first depth block applies the caller's β; later blocks add onto what the first one stored.
      const blockBeta = p0 === 0 ? beta : 1;
      packB(transB, kc, nc, b, bOffset, ldb, p0, j0, pb);
      for (let i0 = 0; i0 < m; i0 += MR) {
        const rows = Math.min(MR, m - i0);
        packA(transA, rows, kc, alpha, a, aOffset, lda, i0, p0, pa);
        const cRow = cOffset + i0 * ldc + j0;
        // Panels of width 4, then one of 2, then one of 1: their packed offsets are `j·kc` in every case.
        let j = 0;
        for (; j + 4 <= nc; j += 4) kernel4x4(kc, pa, pb, j * kc, c, cRow + j, ldc, blockBeta, rows);
        if (j + 2 <= nc) {
          kernel4x2(kc, pa, pb, j * kc, c, cRow + j, ldc, blockBeta, rows);
          j += 2;
        }
        if (j < nc) kernel4x1(kc, pa, pb, j * kc, c, cRow + j, ldc, blockBeta, rows);
      }
    }
  }
};

/** `C ← β·C` over an `m × n` window; β = 0 writes zeros without reading. */
function scaleMatrix(m: number, n: number, beta: number, c: Float32Array, cOffset: number, ldc: number): void {
  if (beta === 1) return;
  for (let i = 0; i < m; i++) {
    const row = cOffset + i * ldc;
    if (beta === 0) c.fill(0, row, row + n);
    else for (let j = row; j < row + n; j++) c[j] *= beta;
  }
}

/** Copies `α·op(A)[i0 : i0+rows, p0 : p0+kc]` as `kc` groups of 4 (zero-padded past `rows`). */
function packA(
  transA: boolean,
  rows: number,
  kc: number,
  alpha: number,
  a: Float32Array,
  aOffset: number,
  lda: number,
  i0: number,
  p0: number,
  pa: Float64Array,
): void {
  // op(A)[i, p] sits at a[rowStride·i + colStride·p]; one loop serves both transpose forms.
  const rowStride = transA ? 1 : lda;
  const colStride = transA ? lda : 1;
  let s0 = aOffset + i0 * rowStride + p0 * colStride;
  if (rows === MR) {
    // The common case, unrolled: four source streams, one sequential write stream.
    let s1 = s0 + rowStride;
    let s2 = s1 + rowStride;
    let s3 = s2 + rowStride;
    for (let p = 0, o = 0; p < kc; p++, o += MR) {
      pa[o] = alpha * a[s0];
      pa[o + 1] = alpha * a[s1];
      pa[o + 2] = alpha * a[s2];
      pa[o + 3] = alpha * a[s3];
      s0 += colStride;
      s1 += colStride;
      s2 += colStride;
      s3 += colStride;
    }
    return;
  }
  pa.fill(0, 0, kc * MR);
  for (let r = 0; r < rows; r++, s0 += rowStride) {
    for (let p = 0, src = s0; p < kc; p++, src += colStride) pa[p * MR + r] = alpha * a[src];
  }
}

/**
 * Copies `op(B)[p0 : p0+kc, j0 : j0+nc]` into panels: columns `j .. j+w` (w = 4, then 2, then 1) occupy
 * `pb[j·kc .. (j+w)·kc]`, laid out `p`-major so the micro-kernel reads `w` consecutive values per step.
 */
function packB(
  transB: boolean,
  kc: number,
  nc: number,
  b: Float32Array,
  bOffset: number,
  ldb: number,
  p0: number,
  j0: number,
  pb: Float64Array,
): void {
  // op(B)[p, j] sits at b[depthStride·p + colStride·j].
  const depthStride = transB ? 1 : ldb;
  const colStride = transB ? ldb : 1;
  let j = 0;
  for (; j + 4 <= nc; j += 4) {
    let s = bOffset + p0 * depthStride + (j0 + j) * colStride;
    for (let p = 0, o = j * kc; p < kc; p++, o += 4, s += depthStride) {
      pb[o] = b[s];
      pb[o + 1] = b[s + colStride];
      pb[o + 2] = b[s + 2 * colStride];
      pb[o + 3] = b[s + 3 * colStride];
    }
  }
  for (; j < nc; ) {
    const w = j + 2 <= nc ? 2 : 1;
    for (let jr = 0; jr < w; jr++) {
      let s = bOffset + p0 * depthStride + (j0 + j + jr) * colStride;
      for (let p = 0, o = j * kc + jr; p < kc; p++, o += w, s += depthStride) pb[o] = b[s];
    }
    j += w;
  }
}

/** Writes one accumulated value: `C = acc` (β = 0), `C += acc` (β = 1), else `C = β·C + acc`. */
function storeTile(
  c: Float32Array,
  cOffset: number,
  ldc: number,
  beta: number,
  rows: number,
  cols: number,
  values: Float64Array,
): void {
  for (let r = 0; r < rows; r++) {
    const row = cOffset + r * ldc;
    for (let s = 0; s < cols; s++) {
      const v = values[r * 4 + s];
      c[row + s] = beta === 0 ? v : beta === 1 ? c[row + s] + v : beta * c[row + s] + v;
    }
  }
}

// biome-ignore format: the accumulator grid reads as the 4×4 tile it computes
function kernel4x4(
  kc: number,
  pa: Float64Array,
  pb: Float64Array,
  bo: number,
  c: Float32Array,
  co: number,
  ldc: number,
  beta: number,
  rows: number,
): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  let ao = 0;
  for (let p = 0; p < kc; p++) {
    const b0 = pb[bo], b1 = pb[bo + 1], b2 = pb[bo + 2], b3 = pb[bo + 3];
    // One A value live at a time keeps the live set at 16 + 4 + 1 doubles.
    let a = pa[ao];
    c00 += a * b0; c01 += a * b1; c02 += a * b2; c03 += a * b3;
    a = pa[ao + 1];
    c10 += a * b0; c11 += a * b1; c12 += a * b2; c13 += a * b3;
    a = pa[ao + 2];
    c20 += a * b0; c21 += a * b1; c22 += a * b2; c23 += a * b3;
    a = pa[ao + 3];
    c30 += a * b0; c31 += a * b1; c32 += a * b2; c33 += a * b3;
    ao += 4;
    bo += 4;
  }
  if (rows === 4 && beta === 0) {
    c[co] = c00; c[co + 1] = c01; c[co + 2] = c02; c[co + 3] = c03; co += ldc;
    c[co] = c10; c[co + 1] = c11; c[co + 2] = c12; c[co + 3] = c13; co += ldc;
    c[co] = c20; c[co + 1] = c21; c[co + 2] = c22; c[co + 3] = c23; co += ldc;
    c[co] = c30; c[co + 1] = c31; c[co + 2] = c32; c[co + 3] = c33;
  } else if (rows === 4 && beta === 1) {
    c[co] += c00; c[co + 1] += c01; c[co + 2] += c02; c[co + 3] += c03; co += ldc;
    c[co] += c10; c[co + 1] += c11; c[co + 2] += c12; c[co + 3] += c13; co += ldc;
    c[co] += c20; c[co + 1] += c21; c[co + 2] += c22; c[co + 3] += c23; co += ldc;
    c[co] += c30; c[co + 1] += c31; c[co + 2] += c32; c[co + 3] += c33;
  } else {
    tile[0] = c00; tile[1] = c01; tile[2] = c02; tile[3] = c03;
    tile[4] = c10; tile[5] = c11; tile[6] = c12; tile[7] = c13;
    tile[8] = c20; tile[9] = c21; tile[10] = c22; tile[11] = c23;
    tile[12] = c30; tile[13] = c31; tile[14] = c32; tile[15] = c33;
    storeTile(c, co, ldc, beta, rows, 4, tile);
  }
}

// biome-ignore format: the accumulator grid reads as the 4×2 tile it computes
function kernel4x2(
  kc: number,
  pa: Float64Array,
  pb: Float64Array,
  bo: number,
  c: Float32Array,
  co: number,
  ldc: number,
  beta: number,
  rows: number,
): void {
  let c00 = 0, c01 = 0, c10 = 0, c11 = 0, c20 = 0, c21 = 0, c30 = 0, c31 = 0;
  let ao = 0;
  for (let p = 0; p < kc; p++) {
    const b0 = pb[bo], b1 = pb[bo + 1];
    const a0 = pa[ao], a1 = pa[ao + 1], a2 = pa[ao + 2], a3 = pa[ao + 3];
    c00 += a0 * b0; c01 += a0 * b1;
    c10 += a1 * b0; c11 += a1 * b1;
    c20 += a2 * b0; c21 += a2 * b1;
    c30 += a3 * b0; c31 += a3 * b1;
    ao += 4;
    bo += 2;
  }
  tile[0] = c00; tile[1] = c01; tile[4] = c10; tile[5] = c11;
  tile[8] = c20; tile[9] = c21; tile[12] = c30; tile[13] = c31;
  storeTile(c, co, ldc, beta, rows, 2, tile);
}

// biome-ignore format: the accumulator grid reads as the 4×1 tile it computes
function kernel4x1(
  kc: number,
  pa: Float64Array,
  pb: Float64Array,
  bo: number,
  c: Float32Array,
  co: number,
  ldc: number,
  beta: number,
  rows: number,
): void {
  let c0 = 0, c1 = 0, c2 = 0, c3 = 0;
  let ao = 0;
  for (let p = 0; p < kc; p++) {
    const b0 = pb[bo];
    c0 += pa[ao] * b0;
    c1 += pa[ao + 1] * b0;
    c2 += pa[ao + 2] * b0;
    c3 += pa[ao + 3] * b0;
    ao += 4;
    bo += 1;
  }
  tile[0] = c0; tile[4] = c1; tile[8] = c2; tile[12] = c3;
  storeTile(c, co, ldc, beta, rows, 1, tile);
}
