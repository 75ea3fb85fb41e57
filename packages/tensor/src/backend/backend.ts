/**
 * The compute kernels behind every tensor operation: one plain object of functions.
 *
 * Kernels are the unchecked level. They trust their arguments (sizes, offsets, array lengths), never allocate, and
 * write into arrays the caller owns. Shape checks and output allocation live one level up, in the public ops.
 * All matrices are row-major; `rows × cols` arguments describe the logical matrix.
 *
 * Aliasing: every elementwise and row-wise kernel (`add` … `clamp`, `addRowVector`, `softmaxRows`,
 * `softmaxRowsBackward`, the activations and their backward passes, `dropoutMask`) must allow its output to be one of
 * its inputs (`out === x`, `dx === dy`), since ops run in place when asked; so must `addChannelBias`. `gemm`,
 * `transpose`, `gatherRows`, `im2col`, `col2im` and the pooling kernels may assume their output shares no memory with their inputs, and the optimizer updates (`adamUpdate`,
 * `rmspropUpdate`, `adagradUpdate`, `momentumUpdate`) that their arrays are distinct; the ops guarantee it.
 *
 * A faster backend overrides only the kernels it speeds up and inherits the rest from the reference:
 *
 * ```ts
 * const fast: Backend = { ...jsBackend, name: 'wasm-simd', gemm: simdGemm };
 * setBackend(fast);
 * ```
 *
 * Every backend should pass the conformance suite in `@mnist/tensor/testing`.
 */
export interface Backend {
  /** A short identifier for logs and benchmark tables, such as `js` or `wasm-simd`. */
  readonly name: string;

  /**
   * Optional: a zeroed array of `length` floats in memory this backend's kernels use in place, without copying (the
   * `wasm-simd` backend's WebAssembly memory). `Tensor.resident` calls it for long-lived buffers such as weights,
   * gradients and optimizer state. The array is an ordinary `Float32Array` to every other piece of code, and stays
   * valid however the backend's memory grows; the backend reclaims it once it is garbage-collected. Keep the array
   * itself alive for as long as a `subarray` of it is used. A backend without such memory omits this method.
   */
  allocate?(length: number): Float32Array;

  /**
   * Optional: why this backend runs short of what it was chosen or created for, in one line suitable for a log header,
   * or `undefined` while it does not. The default backend sets it when `wasm-simd` could not start and the reference
   * runs in its place; `wasm-simd` when it runs on fewer threads than asked for, or when kernel calls fell back to the
   * reference kernels, which round differently. {@link backendFallbackReason} reads it from the current backend.
   */
  readonly fallbackReason?: string;

  /**
   * General matrix multiply, `C = α·op(A)·op(B) + β·C`, where `op(X)` is `X` or `Xᵀ`.
   * `op(A)` is `m × k`, `op(B)` is `k × n`, `C` is `m × n`; `lda`, `ldb`, `ldc` are the row strides of the arrays as
   * stored (so `lda` is `k` for a plain `A` and `m` for a transposed one when the matrices are packed). When `beta` is
   * 0, `C` is only written, never read. `C` never overlaps `A` or `B`.
   */
  gemm(
    transA: boolean,
    transB: boolean,
    m: number,
    n: number,
    k: number,
    alpha: number,
    a: Float32Array,
    aOffset: number,
    lda: number,
    b: Float32Array,
    bOffset: number,
    ldb: number,
    beta: number,
    c: Float32Array,
    cOffset: number,
    ldc: number,
  ): void;

  /**
   * A batch of `product.count ≥ 1` products of one shape, `Cᵢ ← α·op(Aᵢ)·op(Bᵢ) + β·Cᵢ` for each `i` in order (see
   * {@link BatchedProduct} for where each matrix starts). With `strideC = 0` the products accumulate into one `C`:
   * `β` applies to the first and every later one adds, `C ← α·Σᵢ op(Aᵢ)·op(Bᵢ) + β·C`, summed in the order of `i`. No
   * `Cᵢ` overlaps an `Aᵢ` or `Bᵢ`, and distinct `Cᵢ` do not overlap.
   */
  gemmBatched(
    product: BatchedProduct,
    alpha: number,
    a: Float32Array,
    b: Float32Array,
    beta: number,
    c: Float32Array,
  ): void;

  /** `out[i] = a[i] + b[i]` for `i < n`. `out` may be `a` or `b`. */
  add(n: number, a: Float32Array, b: Float32Array, out: Float32Array): void;
  /** `out[i] = a[i] − b[i]`. */
  sub(n: number, a: Float32Array, b: Float32Array, out: Float32Array): void;
  /** `out[i] = a[i] · b[i]`. */
  mul(n: number, a: Float32Array, b: Float32Array, out: Float32Array): void;
  /** `out[i] = a[i] / b[i]`. */
  div(n: number, a: Float32Array, b: Float32Array, out: Float32Array): void;
  /** `out[i] = α · x[i]`. `out` may be `x`. */
  scale(n: number, alpha: number, x: Float32Array, out: Float32Array): void;
  /** `out[i] = x[i] + α`. `out` may be `x`. */
  addScalar(n: number, alpha: number, x: Float32Array, out: Float32Array): void;
  /** `out[i] = min(max(x[i], low), high)`; NaN stays NaN. `out` may be `x`. */
  clamp(n: number, low: number, high: number, x: Float32Array, out: Float32Array): void;
  /** BLAS axpy, in place: `y[i] += α · x[i]`. */
  axpy(n: number, alpha: number, x: Float32Array, y: Float32Array): void;
  /** `out[i] = value`. */
  fill(n: number, value: number, out: Float32Array): void;

  /** Broadcasts a row vector over the rows of a matrix: `out[i, j] = x[i, j] + v[j]` (adding a bias). `out` may be `x`. */
  addRowVector(rows: number, cols: number, x: Float32Array, v: Float32Array, out: Float32Array): void;

  /**
   * Sums the middle axis of an array viewed as `[outer, size, inner]`: `out[o, i] = Σₛ x[o, s, i]`.
   * With `outer = 1` this is the column sums of a `size × inner` matrix (a bias gradient).
   */
  sumAxis(outer: number, size: number, inner: number, x: Float32Array, out: Float32Array): void;
  /** The maximum over the middle axis of `[outer, size, inner]` (`size ≥ 1`). NaN propagates. */
  maxAxis(outer: number, size: number, inner: number, x: Float32Array, out: Float32Array): void;
  /** The index of the first maximum over the middle axis of `[outer, size, inner]` (`size ≥ 1`). */
  argmaxAxis(outer: number, size: number, inner: number, x: Float32Array, out: Int32Array): void;

  /** `out = xᵀ` for a `rows × cols` matrix `x`; `out` must not overlap `x`. */
  transpose(rows: number, cols: number, x: Float32Array, out: Float32Array): void;

  /** Row-wise softmax, `out[i, j] = exp(x[i, j] − maxⱼ x[i, ·]) / Σ exp(…)`. `out` may be `x`. */
  softmaxRows(rows: number, cols: number, x: Float32Array, out: Float32Array): void;

  /**
   * Softmax's backward pass, row-wise: `dx[i, j] = y[i, j]·(dy[i, j] − Σₖ dy[i, k]·y[i, k])`, where `y` is the
   * softmax output. `dx` may be `dy`.
   */
  softmaxRowsBackward(rows: number, cols: number, y: Float32Array, dy: Float32Array, dx: Float32Array): void;

  /** `out[i] = max(x[i], 0)`, with NaN staying NaN. `out` may be `x`. */
  relu(n: number, x: Float32Array, out: Float32Array): void;
  /** ReLU's backward pass: `dx[i] = x[i] > 0 ? dy[i] : 0`, where `x` is the forward input. `dx` may be `dy`. */
  reluBackward(n: number, x: Float32Array, dy: Float32Array, dx: Float32Array): void;

  /** The logistic sigmoid, `out[i] = 1 / (1 + exp(−x[i]))`; NaN stays NaN. `out` may be `x`. */
  sigmoid(n: number, x: Float32Array, out: Float32Array): void;
  /** Sigmoid's backward pass from its output: `dx[i] = dy[i]·y[i]·(1 − y[i])`. `dx` may be `dy`. */
  sigmoidBackward(n: number, y: Float32Array, dy: Float32Array, dx: Float32Array): void;
  /** `out[i] = tanh(x[i])`. `out` may be `x`. */
  tanh(n: number, x: Float32Array, out: Float32Array): void;
  /** Tanh's backward pass from its output: `dx[i] = dy[i]·(1 − y[i]²)`. `dx` may be `dy`. */
  tanhBackward(n: number, y: Float32Array, dy: Float32Array, dx: Float32Array): void;
  /** `out[i] = x[i] > 0 ? x[i] : slope·x[i]`; NaN stays NaN. `out` may be `x`. */
  leakyRelu(n: number, slope: number, x: Float32Array, out: Float32Array): void;
  /** Leaky ReLU's backward pass: `dx[i] = x[i] > 0 ? dy[i] : slope·dy[i]`, `x` the forward input. `dx` may be `dy`. */
  leakyReluBackward(n: number, slope: number, x: Float32Array, dy: Float32Array, dx: Float32Array): void;
  /**
   * GELU in the tanh approximation (Hendrycks & Gimpel, 2016): `out[i] = x/2·(1 + tanh(√(2/π)·(x + 0.044715·x³)))`
   * for `x = x[i]`. `out` may be `x`.
   */
  gelu(n: number, x: Float32Array, out: Float32Array): void;
  /**
   * GELU's backward pass from the forward input: with `t = tanh(√(2/π)·(x + 0.044715·x³))`,
   * `dx[i] = dy[i]·(½·(1 + t) + ½·x·(1 − t²)·√(2/π)·(1 + 3·0.044715·x²))`. `dx` may be `dy`.
   */
  geluBackward(n: number, x: Float32Array, dy: Float32Array, dx: Float32Array): void;

  /**
   * Inverted dropout's mask: `out[i] = uniforms[i] < rate ? 0 : 1/(1 − rate)` for uniform samples in `[0, 1)` and
   * `0 ≤ rate < 1`. `out` may be `uniforms`.
   */
  dropoutMask(n: number, rate: number, uniforms: Float32Array, out: Float32Array): void;

  /**
   * Batch normalisation's statistics over an array laid out as `layout`: per channel, the mean and the biased variance
   * `Σ(x − mean)²/n` of its `n = outer·inner ≥ 1` values.
   */
  batchNormStatistics(layout: ChannelLayout, x: Float32Array, mean: Float32Array, variance: Float32Array): void;
  /**
   * Batch normalisation over an array laid out as `layout`, per channel `c`: `x̂ = (x − mean[c])/√(variance[c] + ε)`
   * into `xhat` and `y = gamma[c]·x̂ + beta[c]` into `y`. `xhat` and `y` may be `x`, not each other.
   */
  batchNormForward(
    layout: ChannelLayout,
    epsilon: number,
    x: Float32Array,
    mean: Float32Array,
    variance: Float32Array,
    gamma: Float32Array,
    beta: Float32Array,
    xhat: Float32Array,
    y: Float32Array,
  ): void;
  /**
   * Batch normalisation's backward pass over an array laid out as `layout`, per channel with `n = outer·inner` and
   * `σ = √(variance + ε)`: adds `Σ dy·x̂` into `dgamma` and `Σ dy` into `dbeta`, and writes
   * `dx = (γ/σ)·(dy − mean(dy) − x̂·mean(dy·x̂))` when `step.batchStatistics` (the forward pass used the batch's own
   * statistics), else `dx = (γ/σ)·dy`. `dx` may be `dy` or `xhat`.
   */
  batchNormBackward(
    layout: ChannelLayout,
    step: BatchNormBackwardStep,
    xhat: Float32Array,
    dy: Float32Array,
    variance: Float32Array,
    gamma: Float32Array,
    dgamma: Float32Array,
    dbeta: Float32Array,
    dx: Float32Array,
  ): void;

  // The optimizer updates are fused, one kernel per rule, rather than composed from general kernels (`sqrt`,
  // `addcmul`, `addcdiv`, as PyTorch's foreach path does). Composed, an Adam step makes about six passes over memory
  // and needs a scratch array for `√v̂ + ε`; fused, it reads `g`, `m`, `v`, `θ` and writes `m`, `v`, `θ` once. The
  // update is memory-bound, so the passes are the cost, and a SIMD backend vectorises one short loop per rule.

  /**
   * One Adam step over `n` elements, in place on `m`, `v` and `theta` (θ), with AdamW's decoupled weight decay `λ`:
   * `m ← β₁·m + (1−β₁)·g; v ← β₂·v + (1−β₂)·g²; θ ← θ·(1 − α·λ) − α·(m/c₁) / (√(v/c₂) + ε)`, where `c₁ = 1 − β₁ᵗ`
   * and `c₂ = 1 − β₂ᵗ` are the bias corrections of step `t`. The four arrays are distinct.
   */
  adamUpdate(n: number, step: AdamStep, g: Float32Array, m: Float32Array, v: Float32Array, theta: Float32Array): void;
  /**
   * One RMSprop step over `n` elements, in place: `s ← ρ·s + (1−ρ)·g²`, then `θ ← θ − α·g / (√s + ε)` when
   * `momentum` (`μ`) is 0, or `b ← μ·b + g / (√s + ε); θ ← θ − α·b` otherwise. With `μ = 0`, `velocity` (`b`) is
   * neither read nor written. The arrays are distinct.
   */
  rmspropUpdate(
    n: number,
    step: RMSpropStep,
    g: Float32Array,
    meanSquare: Float32Array,
    velocity: Float32Array,
    theta: Float32Array,
  ): void;
  /** One AdaGrad step over `n` elements, in place: `G ← G + g²; θ ← θ − α·g / (√G + ε)`. The arrays are distinct. */
  adagradUpdate(n: number, step: AdaGradStep, g: Float32Array, accumulator: Float32Array, theta: Float32Array): void;
  /**
   * One momentum step over `n` elements, in place: `v ← β·v + c·g; θ ← θ − α·v`, or `θ ← θ − α·(β·v + c·g)` with
   * `nesterov` (using the new `v`). `c` (`gradScale`) is `1 − β` for the averaging form and 1 for the heavy ball. The
   * arrays are distinct.
   */
  momentumUpdate(n: number, step: MomentumStep, g: Float32Array, velocity: Float32Array, theta: Float32Array): void;

  /** The dot product `Σ x[i]·y[i]`, accumulated in float64. */
  dot(n: number, x: Float32Array, y: Float32Array): number;

  /**
   * The cross-entropy sum `−Σ t[i]·ln(max(p[i], ε))` over `n` entries, with `ε = 1e-30` so a zero probability costs a
   * large finite amount instead of infinity; entries with `t[i] = 0` contribute nothing. Accumulated in float64.
   */
  crossEntropySum(n: number, p: Float32Array, t: Float32Array): number;

  /** Copies rows: `out[i, :] = x[indices[i], :]` for `rows` indices and rows of `cols` values. Indices are valid. */
  gatherRows(rows: number, cols: number, indices: ArrayLike<number>, x: Float32Array, out: Float32Array): void;

  /**
   * Gathers rows of bytes into floats: `out[i, j] = bytes[indices[i]·cols + j] / divisor`, with `divisor` taken as
   * float32 and the quotient rounded to float32 (exactly, in every backend). This is how a shuffled mini-batch of 8-bit images becomes a network's input
   * (`divisor` 255 maps pixels to `[0, 1]`). Indices are valid rows of `bytes`.
   */
  gatherBytes(
    rows: number,
    cols: number,
    indices: ArrayLike<number>,
    bytes: Uint8Array,
    divisor: number,
    out: Float32Array,
  ): void;

  /** `out[i, labels[i]] = 1`, every other entry 0, for an `n × classes` output. Labels are valid class indices. */
  oneHot(n: number, classes: number, labels: ArrayLike<number>, out: Float32Array): void;

  /**
   * Unfolds every image of `x` (`[batch, channels, height, width]`) into columns, so that a convolution is one gemm
   * per image: `col[n, (c·kh + i)·kw + j, oy·outW + ox] = x[n, c, oy·sh − ph + i, ox·sw − pw + j]`, zero outside the
   * image. `col` is `[batch, channels·kh·kw, outH·outW]`.
   */
  im2col(window: ImageWindow, x: Float32Array, col: Float32Array): void;

  /**
   * The adjoint of {@link Backend.im2col}: adds each column entry back onto the image position it was read from, so
   * overlapping windows accumulate (`dx += col2im(dcol)`). Entries that fell in the padding are dropped.
   */
  col2im(window: ImageWindow, col: Float32Array, dx: Float32Array): void;

  /**
   * Adds one value per channel to `[batch, channels, spatial]`: `out[n, c, s] = x[n, c, s] + bias[c]` (a
   * convolution's bias). `out` may be `x`.
   */
  addChannelBias(
    batch: number,
    channels: number,
    spatial: number,
    x: Float32Array,
    bias: Float32Array,
    out: Float32Array,
  ): void;

  /**
   * Max pooling of every plane (each channel of each image) with `window`, padding counted as −∞: `out[p, oy, ox]` is
   * the maximum of its window and `argmax[p, oy, ox]` the index into `x` it came from (the first maximum; NaN is the
   * maximum). `out` and `argmax` hold `batch·channels·outH·outW` values; a window entirely in the padding gives −∞
   * and index −1.
   */
  maxPool2d(window: ImageWindow, x: Float32Array, out: Float32Array, argmax: Int32Array): void;
  /** Max pooling's backward pass, a scatter-add: `dx[argmax[o]] += dy[o]` for `o < n`, skipping indices of −1. */
  maxPool2dBackward(n: number, dy: Float32Array, argmax: Int32Array, dx: Float32Array): void;
  /**
   * Average pooling with `window`: each output is its window's sum divided by the full window size `kernelH·kernelW`,
   * padding counting as 0 (PyTorch's default `count_include_pad`).
   */
  avgPool2d(window: ImageWindow, x: Float32Array, out: Float32Array): void;
  /** Average pooling's backward pass: adds `dy[o] / (kernelH·kernelW)` onto each image position of window `o`. */
  avgPool2dBackward(window: ImageWindow, dy: Float32Array, dx: Float32Array): void;
}

/**
 * A sliding window over a batch of images `[batch, channels, height, width]` (row-major, NCHW): the geometry the image
 * kernels take. A window starts every `strideH × strideW` pixels, `padH × padW` pixels beyond the image's edges, and
 * `outH = ⌊(height + 2·padH − kernelH) / strideH⌋ + 1` (likewise `outW`) windows fit.
 */
export interface ImageWindow {
  /** Images. */
  readonly batch: number;
  /** Channels of each image. */
  readonly channels: number;
  /** Rows of each image. */
  readonly height: number;
  /** Columns of each image. */
  readonly width: number;
  /** Rows of the window. */
  readonly kernelH: number;
  /** Columns of the window. */
  readonly kernelW: number;
  /** Rows between the starts of two windows. */
  readonly strideH: number;
  /** Columns between the starts of two windows. */
  readonly strideW: number;
  /** Rows of padding above and below. */
  readonly padH: number;
  /** Columns of padding left and right. */
  readonly padW: number;
  /** Windows down each image. */
  readonly outH: number;
  /** Windows across each image. */
  readonly outW: number;
}

/**
 * An array viewed as `[outer, channels, inner]`, as batch normalisation sees it: `[batch, features]` has `inner = 1`,
 * `[batch, channels, height, width]` has `inner = height·width`.
 */
export interface ChannelLayout {
  /** The batch. */
  readonly outer: number;
  /** The channels (features), each normalised on its own. */
  readonly channels: number;
  /** Values per channel per example. */
  readonly inner: number;
}

/** The scalars of one batch-normalisation backward pass. */
export interface BatchNormBackwardStep {
  /** The `ε` the forward pass added to the variance. */
  readonly epsilon: number;
  /** Whether the forward pass normalised with the batch's own statistics (training) rather than given ones. */
  readonly batchStatistics: boolean;
}

/** The scalars of one {@link Backend.momentumUpdate}. */
export interface MomentumStep {
  /** `α`. */
  readonly learningRate: number;
  /** `β`. */
  readonly momentum: number;
  /** `c`: `1 − β` for the averaging form, 1 for the heavy ball. */
  readonly gradScale: number;
  /** Whether to take Nesterov's look-ahead step. */
  readonly nesterov: boolean;
}

/** The scalars of one {@link Backend.adamUpdate}. */
export interface AdamStep {
  /** `α`. */
  readonly learningRate: number;
  /** `β₁`. */
  readonly beta1: number;
  /** `β₂`. */
  readonly beta2: number;
  /** `ε`. */
  readonly epsilon: number;
  /** AdamW's decoupled weight decay `λ` (0 for Adam). */
  readonly weightDecay: number;
  /** `c₁ = 1 − β₁ᵗ`. */
  readonly correction1: number;
  /** `c₂ = 1 − β₂ᵗ`. */
  readonly correction2: number;
}

/** The scalars of one {@link Backend.rmspropUpdate}. */
export interface RMSpropStep {
  /** `α`. */
  readonly learningRate: number;
  /** `ρ`. */
  readonly rho: number;
  /** `ε`. */
  readonly epsilon: number;
  /** `μ`, 0 for none. */
  readonly momentum: number;
}

/** The scalars of one {@link Backend.adagradUpdate}. */
export interface AdaGradStep {
  /** `α`. */
  readonly learningRate: number;
  /** `ε`. */
  readonly epsilon: number;
}

/**
 * A batch of `count` matrix products of one shape, as {@link Backend.gemmBatched} takes it: matrix `i` of each operand
 * starts `i·stride` floats into its array. A stride of 0 shares one `A` or `B` between every product; a `C` stride of
 * 0 sums the products into one `C`.
 */
export interface BatchedProduct {
  /** Products. */
  readonly count: number;
  /** Use `Aᵢᵀ`. */
  readonly transA: boolean;
  /** Use `Bᵢᵀ`. */
  readonly transB: boolean;
  /** Rows of `op(Aᵢ)` and `Cᵢ`. */
  readonly m: number;
  /** Columns of `op(Bᵢ)` and `Cᵢ`. */
  readonly n: number;
  /** Columns of `op(Aᵢ)`, rows of `op(Bᵢ)`. */
  readonly k: number;
  /** Row stride of each `Aᵢ` as stored. */
  readonly lda: number;
  /** Row stride of each `Bᵢ` as stored. */
  readonly ldb: number;
  /** Row stride of each `Cᵢ`. */
  readonly ldc: number;
  /** Floats from `Aᵢ` to `Aᵢ₊₁`; 0 shares one `A`. */
  readonly strideA: number;
  /** Floats from `Bᵢ` to `Bᵢ₊₁`; 0 shares one `B`. */
  readonly strideB: number;
  /** Floats from `Cᵢ` to `Cᵢ₊₁`; 0 sums every product into one `C`. */
  readonly strideC: number;
}
