import type { GemmJob } from './runtime/job-table.js';
import type { Tuning } from './tuning.js';

// How a gemm is cut into jobs. Every cut leaves each element of C computed exactly as it would be uncut, but for the
// depth split, which is taken whatever the number of threads: so no result ever depends on the thread count.

/** The micro-kernel's tile of C (kernels.wat): 4 rows by 8 columns. Splits of C are whole tiles. */
const TILE_ROWS = 4;
const TILE_COLUMNS = 8;

/**
 * The depth of the first half when a product is split along its depth (a multiple of 4), else 0: see
 * `DEPTH_SPLIT_MIN` in `tuning.ts`.
 */
export function depthSplit(m: number, n: number, k: number, tuning: Tuning): number {
  const { DEPTH_SPLIT_MIN, DEPTH_SPLIT_RATIO } = tuning;
  return k >= DEPTH_SPLIT_MIN && k >= DEPTH_SPLIT_RATIO * m && k >= DEPTH_SPLIT_RATIO * n ? Math.round(k / 8) * 4 : 0;
}

/**
 * The two halves of a product split along its depth at `depth`: the first writes C (applying β), the second writes
 * its product into `partial` (m × n, packed), which the caller then adds to C. The second half uses the scratch at
 * `secondWork`: its own when the halves run side by side, the first's when one runs after the other.
 */
export function depthHalves(job: GemmJob, depth: number, partial: number, secondWork: number): [GemmJob, GemmJob] {
  const first = { ...job, k: depth };
  const second = {
    ...job,
    k: job.k - depth,
    a: job.a + 4 * depth * (job.transA ? job.lda : 1),
    b: job.b + 4 * depth * (job.transB ? 1 : job.ldb),
    beta: 0,
    c: partial,
    ldc: job.n,
    work: secondWork,
  };
  return [first, second];
}

/**
 * Splits C into up to `parts` blocks of whole tiles, by rows or by columns, whichever leaves each thread less of A and
 * B to read: a block of rows needs its rows of op(A) and all of op(B), a block of columns all of op(A) and its columns
 * of op(B), and what a worker reads comes from the other core's cache. Block `s` uses the scratch at `workOf(s)`.
 */
export function splitProduct(job: GemmJob, parts: number, workOf: (share: number) => number): GemmJob[] {
  const columnTiles = Math.ceil(job.n / TILE_COLUMNS);
  const rowTiles = Math.ceil(job.m / TILE_ROWS);
  const aSize = job.m * job.k;
  const bSize = job.k * job.n;
  const byColumns = rowTiles < parts || (columnTiles >= parts && aSize + bSize / parts <= aSize / parts + bSize);
  const tiles = byColumns ? columnTiles : rowTiles;
  const count = Math.min(parts, tiles);
  const slices: GemmJob[] = [];
  let start = 0;
  for (let s = 0; s < count; s++) {
    const stop = Math.round(((s + 1) * tiles) / count);
    const slice = { ...job, work: workOf(s) };
    if (byColumns) {
      const j0 = start * TILE_COLUMNS;
      slice.n = Math.min(job.n, stop * TILE_COLUMNS) - j0;
      slice.b = job.b + 4 * j0 * (job.transB ? job.ldb : 1);
      slice.c = job.c + 4 * j0;
    } else {
      const i0 = start * TILE_ROWS;
      slice.m = Math.min(job.m, stop * TILE_ROWS) - i0;
      slice.a = job.a + 4 * i0 * (job.transA ? 1 : job.lda);
      slice.c = job.c + 4 * i0 * job.ldc;
    }
    slices.push(slice);
    start = stop;
  }
  return slices;
}
