// Every number that tunes the `wasm-simd` backend, in one place: the blocking and zero-skipping thresholds of the gemm
// in `wasm/kernels.wat` (given to the module when it is instantiated, on the calling thread and in every worker), when
// a call is staged or split over threads, the worker threads' deadlines, and the memory's sizes. Each entry says why it
// exists and where `pnpm bench` (the scripts in `benchmarks/src/`) measures it; no entry quotes a timing, since
// timings go stale and the benchmarks print current ones. None changes a result's bits unless its entry says so.
//
// `benchmarks/src/wasm-thresholds.ts` measures the thresholds no other table shows, on both sides of each: it runs the
// backend with the entry moved (a runtime takes a `Partial<Tuning>` of overrides, as the tests do; the public
// `createWasmBackend` never does).

// ---- gemm blocking (kernels.wat) ----

/**
 * KC, the depth of one block of op(B) that gemm packs (GotoBLAS/BLIS): a 4 × 8 tile of C runs KC multiply-adds per
 * element from registers before it goes back to memory, and KC × 8 floats of B (one panel) stay in the L1 cache while
 * every row tile of A streams past them. Changing it changes the rounding: C is accumulated block by block in float32,
 * so the determinism digests change with it.
 * Measured by `benchmarks/src/gemm.ts`, the GFLOP/s table, rows `square` and `full test set forward` (products many
 * blocks deep).
 */
export const KC = 256;

/**
 * NC, the width in columns (a multiple of 8, at least 32) of one packed block of op(B): KC × NC floats (512 KiB) stay
 * in a core's L2 cache while every row tile of A passes over them. Each element of C is computed in one column block,
 * so this never changes a result.
 * Measured by `benchmarks/src/gemm.ts`, the GFLOP/s table, row `square` (512 columns: one block).
 */
export const NC = 512;

/**
 * Bytes of scratch one running gemm owns: the packed KC × NC block, then a 4 × 8 spill tile for the edges of C, then
 * the 256-byte swizzle table of the zero-skipping lists.
 */
export const GEMM_WORK_BYTES = gemmWorkBytes(KC, NC);

// ---- gemm zero skipping (kernels.wat) ----
// A 4-row tile of op(A) that is mostly zeros (a batch of MNIST images is about 80% zeros) is multiplied from lists of
// its nonzeros, with the same result bit for bit (see kernels.wat): none of these five ever changes a result, only the
// time. Listing costs a pass over the tile, and each list entry then serves every column of the block, so skipping pays
// up to a density that grows with the block's width and is higher for a transposed A, whose dense tiles read A a row
// apart per depth.

/**
 * The narrowest block of B (columns) that zero skipping is tried on: narrower, a list entry serves too few columns to
 * pay for building the lists.
 * Measured by `benchmarks/src/wasm-thresholds.ts`, table `zero skipping`.
 */
export const ZERO_SKIP_MIN_COLUMNS = 32;

/**
 * From this many columns on, a block counts as wide: its tiles skip zeros up to {@link ZERO_SKIP_MAX_PERCENT_WIDE}
 * nonzeros, else up to {@link ZERO_SKIP_MAX_PERCENT}. The MNIST network's first layer (128 columns) is wide.
 * Measured by `benchmarks/src/wasm-thresholds.ts`, table `zero skipping`.
 */
export const ZERO_SKIP_WIDE_COLUMNS = 96;

/**
 * The densest tile (percent nonzeros) of a narrow block that skips its zeros: the break-even at 32 to 64 columns.
 * Measured by `benchmarks/src/wasm-thresholds.ts`, table `zero skipping`, rows of 32 and 64 columns.
 */
export const ZERO_SKIP_MAX_PERCENT = 40;

/**
 * The densest tile (percent nonzeros) of a wide block with a plain A that skips its zeros.
 * Measured by `benchmarks/src/wasm-thresholds.ts`, table `zero skipping`, rows of 128 columns, NN; the gain on real
 * data by `benchmarks/src/gemm.ts`, table `The 784→128 layer on an MNIST batch`, row `forward x·W`.
 */
export const ZERO_SKIP_MAX_PERCENT_WIDE = 55;

/**
 * The densest tile (percent nonzeros) of a wide block with a transposed A (a weight gradient, xᵀ·dy) that skips its
 * zeros: higher than with a plain A, since the dense kernel reads a transposed A's four rows a row of memory apart.
 * Measured by `benchmarks/src/wasm-thresholds.ts`, table `zero skipping`, rows of 128 columns, TN; the gain on real
 * data by `benchmarks/src/gemm.ts`, table `The 784→128 layer on an MNIST batch`, row `weight grad xᵀ·dy`.
 */
export const ZERO_SKIP_MAX_PERCENT_WIDE_TRANSPOSED = 75;

// ---- where a call runs, and over how many threads ----

/**
 * Elementwise, row-wise and per-channel calls on fewer elements than this, with arrays outside the backend's memory,
 * run on the reference kernel: copying the operands into WebAssembly memory and back costs more than the loop saves.
 * (Calls on arrays in the backend's memory copy nothing and run in WebAssembly whatever their size, but for the batch
 * normalisation kernels, which follow this rule wherever their arrays are: their sums round differently from the
 * reference's, and a result must not depend on where its arrays live.)
 * Measured by `benchmarks/src/wasm-thresholds.ts`, table `staged or reference`.
 */
export const STAGED_MIN_ELEMENTS = 256;

/** Multiply-adds from which a product is split over the worker threads, by where its operands are. */
export interface ProductSplit {
  /** Every operand in the backend's memory: the product runs there in place, so a split costs only the handshake. */
  readonly placed: number;
  /**
   * Some operand elsewhere: splitting means staging into the shared memory, which engines copy into more slowly than
   * into a plain one (relaxed atomic stores), so a split pays only from a larger product.
   */
  readonly staged: number;
}

/**
 * When a gemm is split over the threads. Splitting never changes a result: C is split into blocks of whole tiles, each
 * element computed as it would be unsplit. On placed operands the MNIST network's second layer (64 × 64 × 128, 2¹⁹)
 * is split, its third (2¹⁵) is not.
 * Measured by `benchmarks/src/gemm.ts`, the GFLOP/s table, rows `dense 128→64` (2¹⁹: split when placed, not when
 * staged) and `dense 784→128` (2²⁰ and more: split either way), columns `wasm 2 threads` against `wasm 1 thread`; on
 * both sides of each threshold by `benchmarks/src/wasm-thresholds.ts`, table `splitting a product`.
 */
export const GEMM_SPLIT_MIN_MACS: ProductSplit = { placed: 1 << 19, staged: 1 << 20 };

/**
 * A product at least this deep, and at least {@link DEPTH_SPLIT_RATIO} times as deep as C is tall and wide, is computed
 * as two halves of its depth whose products are added, always, whatever the number of threads (so the rounding does
 * not depend on it); with a second thread the halves run side by side. This is a dense layer's forward pass at
 * training batch sizes (64 × 128 × 784 on MNIST): each thread then reads only its half of the weights, the rows its
 * share of the weight gradient and of the update write, so no cache line of W moves between cores. Changing it changes
 * the rounding of the products it splits, so the determinism digests change with it.
 * Measured by `benchmarks/src/gemm.ts`, the GFLOP/s table, row `dense 784→128 forward x·W`, and by
 * `benchmarks/src/step-profile.ts`, MLP, gemm row `64×128×784 NN`.
 */
export const DEPTH_SPLIT_MIN = 512;

/** How many times deeper than C is tall and wide a product must be for {@link DEPTH_SPLIT_MIN} to split it. */
export const DEPTH_SPLIT_RATIO = 2;

/**
 * Elements from which a momentum update or a fill of arrays in the backend's memory is split over the threads, in
 * contiguous ranges: each core then updates the part of the weights that its share of the gradient product left in its
 * own cache. The first layer's weight matrix of the MNIST network (100 352 elements) is split; the others are small.
 * Never changes a result (each element's arithmetic is the same whoever does it).
 * Measured by `benchmarks/src/step-profile.ts`, MLP, rows `momentumUpdate` and `fill`, and on both sides by
 * `benchmarks/src/wasm-thresholds.ts`, table `splitting an update`.
 */
export const UPDATE_SPLIT_MIN_ELEMENTS = 1 << 15;

/**
 * Floats of columns from which `im2col` and `col2im` over a batch share its images out to the worker threads, when
 * the arrays are in the backend's memory (each image's columns are its own, so the split never changes a result).
 * A hand-off costs a few microseconds and a float of columns about a nanosecond: one MNIST image through a 5 × 5
 * window (19 600 floats) stays on one thread, a training batch (over a million) is split. Staged arrays never split:
 * copying them is most of such a call.
 * Measured by `benchmarks/src/step-profile.ts`, CNN, rows `im2col` and `col2im`, on one thread and on two.
 */
export const IMAGE_SPLIT_MIN_ELEMENTS: ProductSplit = { placed: 1 << 16, staged: Number.POSITIVE_INFINITY };

/**
 * Elements from which the kernels that follow a convolution's products share their work with the worker threads when
 * their arrays are in the backend's memory: batch normalisation's statistics, forward and backward passes by ranges of
 * channels, 2 × 2 max pooling by ranges of planes, ReLU and its gradient by ranges of whole cache lines. Each channel,
 * plane or element is computed as on one thread, so the split never changes a result. The example CNN's layers at
 * batch 64 (200 000 to 800 000 elements) split; the MLP's activations (64 × 128 = 8 192) do not. ReLU's gradient
 * breaks even near 2¹⁴ elements, batch normalisation (float64 arithmetic, several times the work per element) well
 * below: the threshold sits above both. Staged arrays never split: copying them is most of such a call.
 * Measured by `benchmarks/src/step-profile.ts`, CNN, rows `batchNorm*`, `maxPool2d`, `relu` and `reluBackward`, on
 * one thread and on two; on both sides of the threshold by `benchmarks/src/wasm-thresholds.ts`, table
 * `splitting a layer kernel`.
 */
export const LAYER_SPLIT_MIN_ELEMENTS: ProductSplit = { placed: 1 << 15, staged: Number.POSITIVE_INFINITY };

// ---- worker threads ----

/**
 * The most threads the default backend uses (`defaultThreadCount`), however many logical CPUs there are: products of
 * one training step are too small to split further with gain, and each thread costs a spinning core between products.
 * Not measured by `pnpm bench`, whose machine has 2 cores.
 */
export const DEFAULT_MAX_THREADS = 4;

/**
 * Elements of a momentum update or fill that a worker runs between two heartbeats: small enough that a heartbeat comes
 * many times within {@link STALL_DEADLINE_MS}, large enough that the beats cost nothing; a multiple of 16 floats, so
 * every chunk but the last is whole vectors and each element's arithmetic is as unchunked.
 * Checked by `worker-pool.test.ts` (a large update in chunks gives the unchunked result); its cost shows in
 * `benchmarks/src/step-profile.ts`, MLP, row `momentumUpdate`.
 */
export const HEARTBEAT_CHUNK_ELEMENTS = 1 << 16;

/**
 * How long the calling thread, done with its own share, waits for a worker to claim its share before running it
 * itself. A spinning worker claims within a microsecond and one woken from a wait within some tens of microseconds; a
 * worker still unclaimed after this is waiting for a core on a busy machine, and would make the call wait a scheduler
 * time slice (milliseconds). Taking the share back keeps a training step at one thread's speed when the other core is
 * busy, instead of several times slower. Never changes a result (a share computes the same whoever runs it).
 * Measured by `benchmarks/src/peers.ts`, row `MLP epoch`, column `ours, 2 threads`, with and without another process
 * keeping one core busy.
 */
export const CLAIM_GRACE_MS = 0.25;

/**
 * A shared call in which the caller, done with its own share, waited for the workers more than twice as long as that
 * share took and longer than this (milliseconds) means a worker was denied a core: another program is busy on this
 * machine, and a descheduled thread waits a scheduler time slice, milliseconds. (On an idle machine shares end within
 * a fraction of a millisecond of each other; they differ by their zeros, which the gemm skips, so a tighter rule took
 * such calls for late ones and cost the two-thread speed-up: 0.67 s against 0.50 s per MLP epoch.)
 * Measured by `benchmarks/src/peers.ts`, row `MLP epoch`, column `ours, 2 threads`, with and without another process
 * keeping one core busy.
 */
export const THREAD_LATE_MS = 2;

/**
 * After a late call (see {@link THREAD_LATE_MS}), calls run on the calling thread alone for `min` milliseconds, twice
 * as long after each late call that follows, up to `max`; the workers sleep meanwhile instead of competing for the
 * busy cores. A training step then runs at one thread's speed rather than several times slower, and a pause of `min`
 * costs an idle machine's two-thread speed little when the other program stops.
 * Measured as {@link THREAD_LATE_MS}.
 */
export const THREAD_BACKOFF_MS: { readonly min: number; readonly max: number } = { min: 50, max: 1000 };

/**
 * How long a worker may go without claiming any of the shares posted to it (each taken back after
 * {@link CLAIM_GRACE_MS}), in milliseconds, before it is given up as lost and the pool retires. A live worker, even
 * one the operating system deschedules for a while, claims one within a tiny fraction of this.
 * Checked by `worker-pool.test.ts`; not a speed setting.
 */
export const CLAIM_DEADLINE_MS = 1000;

/**
 * The longest a claimed share may go without a heartbeat, in milliseconds, before its worker is given up as dead or
 * hung: a worker that dies or hangs is found within about this, whatever the size of its share.
 * Checked by `worker-pool.test.ts`; not a speed setting.
 */
export const STALL_DEADLINE_MS = 1000;

/**
 * The most that one look of the waiting caller counts towards a worker's silence, in milliseconds. The caller looks at
 * least every millisecond; a longer gap means the caller itself was not running (a busy machine, a computer asleep),
 * and then neither may the worker have been, which is no sign of a dead thread.
 * Checked by `worker-pool.test.ts` (a jump of the clock is not a dead worker).
 */
export const MAX_COUNTED_GAP_MS = 50;

/**
 * How long the caller polls for a worker to finish before it sleeps in `Atomics.wait`, in milliseconds: a worker
 * usually finishes soon after the caller's own share, sooner than a wake-up from a wait takes.
 * Measured by `benchmarks/src/gemm.ts`, column `wasm 2 threads, placed`, rows `dense 128→64` (the smallest split).
 */
export const CALLER_POLL_MS = 2;

/**
 * How long an idle worker polls for its next job before it sleeps, in milliseconds: a training step posts products a
 * fraction of a millisecond apart, and waking a sleeping worker costs more than a small product.
 * Measured by `benchmarks/src/step-profile.ts`, MLP, `ms per step` on two threads.
 */
export const WORKER_SPIN_MS = 2;

/** Loads of a control word between two readings of the clock while polling: reading the clock costs far more. */
export const SPIN_CHECKS = 256;

// ---- memory ----

/** Bytes each WebAssembly memory starts with: room for the gemm scratch and a training step's staging, so it rarely grows. */
export const INITIAL_MEMORY_BYTES = 2 << 20;

/**
 * The most a WebAssembly memory may grow to, in 64 KiB pages (1 GiB): a shared memory reserves its whole maximum of
 * address space when it is created, which a short address space (32-bit browsers) refuses when it is larger. Calls
 * whose operands do not fit run on the reference kernels instead (reported by `fallbackReason`).
 */
export const MAX_MEMORY_PAGES = 16384;

/**
 * The cache line, in bytes: arrays in the backend's memory start on one and never share one, and a split update gives
 * each thread whole lines, so no two cores ever write one line (false sharing).
 */
export const CACHE_LINE_BYTES = 64;

/**
 * The entries a runtime reads from its own copy, which tests and `benchmarks/src/wasm-thresholds.ts` move (see
 * `tuningWith`); `DEFAULT_MAX_THREADS`, the memory's sizes and the cache line are read from here directly.
 */
export const DEFAULT_TUNING = {
  KC,
  NC,
  GEMM_WORK_BYTES,
  ZERO_SKIP_MIN_COLUMNS,
  ZERO_SKIP_WIDE_COLUMNS,
  ZERO_SKIP_MAX_PERCENT,
  ZERO_SKIP_MAX_PERCENT_WIDE,
  ZERO_SKIP_MAX_PERCENT_WIDE_TRANSPOSED,
  STAGED_MIN_ELEMENTS,
  GEMM_SPLIT_MIN_MACS,
  DEPTH_SPLIT_MIN,
  DEPTH_SPLIT_RATIO,
  UPDATE_SPLIT_MIN_ELEMENTS,
  IMAGE_SPLIT_MIN_ELEMENTS,
  LAYER_SPLIT_MIN_ELEMENTS,
  HEARTBEAT_CHUNK_ELEMENTS,
  CLAIM_GRACE_MS,
  THREAD_LATE_MS,
  THREAD_BACKOFF_MS,
  CLAIM_DEADLINE_MS,
  STALL_DEADLINE_MS,
  MAX_COUNTED_GAP_MS,
  CALLER_POLL_MS,
  WORKER_SPIN_MS,
  SPIN_CHECKS,
} as const;

/** A runtime's tuning: {@link DEFAULT_TUNING}, or a copy with some entries moved. */
export type Tuning = {
  readonly [Entry in keyof typeof DEFAULT_TUNING]: (typeof DEFAULT_TUNING)[Entry] extends number
    ? number
    : (typeof DEFAULT_TUNING)[Entry];
};

/** The entries that `wasm/kernels.wat` imports (`(import "tuning" "KC" (global i32))`), from a runtime's tuning. */
export function moduleTuning(tuning: Tuning): Record<string, number> {
  return {
    KC: tuning.KC,
    NC: tuning.NC,
    ZERO_SKIP_MIN_COLUMNS: tuning.ZERO_SKIP_MIN_COLUMNS,
    ZERO_SKIP_WIDE_COLUMNS: tuning.ZERO_SKIP_WIDE_COLUMNS,
    ZERO_SKIP_MAX_PERCENT: tuning.ZERO_SKIP_MAX_PERCENT,
    ZERO_SKIP_MAX_PERCENT_WIDE: tuning.ZERO_SKIP_MAX_PERCENT_WIDE,
    ZERO_SKIP_MAX_PERCENT_WIDE_TRANSPOSED: tuning.ZERO_SKIP_MAX_PERCENT_WIDE_TRANSPOSED,
  };
}

/**
 * {@link DEFAULT_TUNING} with `overrides`, checked: the gemm's blocks must fit the kernel's layout (NC a multiple of 8
 * and at least 32, so the zero-skipping lists fit beside the packed block), and `GEMM_WORK_BYTES` follows KC and NC.
 * @throws RangeError when KC or NC cannot work
 */
export function tuningWith(overrides: Partial<Tuning> = {}): Tuning {
  const tuning = { ...DEFAULT_TUNING, ...overrides };
  const { KC: kc, NC: nc } = tuning;
  if (!Number.isInteger(kc) || kc < 1 || !Number.isInteger(nc) || nc < 32 || nc % 8 !== 0) {
    throw new RangeError(`tuning: expected KC ≥ 1 and NC ≥ 32 a multiple of 8, found KC ${kc}, NC ${nc}`);
  }
  return { ...tuning, GEMM_WORK_BYTES: gemmWorkBytes(kc, nc) };
}

function gemmWorkBytes(kc: number, nc: number): number {
  return 4 * kc * nc + 128 + 256;
}
