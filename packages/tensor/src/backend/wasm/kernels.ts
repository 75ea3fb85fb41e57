import { EXACT_MEMORY_FLAGS_AT, EXACT_MODULE, RELAXED_MEMORY_FLAGS_AT, RELAXED_MODULE } from './kernels.generated.js';
import { decodeBase64 } from './runtime/platform.js';
import { moduleTuning, type Tuning } from './tuning.js';

// The kernels module, `wasm/kernels.wat`, as both rooms of the backend see it: the runtime compiles and instantiates
// it, the kernel families call its exports.

// The slice of the WebAssembly JavaScript API used here, typed locally so the package needs neither the DOM nor the
// Node.js type definitions.
/** A WebAssembly memory. */
export interface WasmMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  grow(pages: number): number;
}
/** A compiled WebAssembly module (opaque; it can be posted to workers). */
export type WasmModule = object;
interface WasmApi {
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => { readonly exports: object };
  Memory: new (descriptor: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
  validate(bytes: Uint8Array): boolean;
}

/** The engine's `WebAssembly` object, if it has one. */
export function webAssembly(): WasmApi | undefined {
  return (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
}

/** An image window as the image kernels take it: channels, height, width, kernel rows and columns, strides, paddings. */
type ImageWindowArguments = [number, number, number, number, number, number, number, number, number];

/** A tuple of `Count` numbers: the arguments of a kernel with that many parameters. */
type NumberArguments<Count extends number, Tuple extends number[] = []> = Tuple['length'] extends Count
  ? Tuple
  : NumberArguments<Count, [...Tuple, number]>;

/** The functions `wasm/kernels.wat` exports. Pointers are byte offsets into the instance's memory. */
export interface KernelExports {
  gemm(
    transA: number,
    transB: number,
    m: number,
    n: number,
    k: number,
    alpha: number,
    a: number,
    lda: number,
    b: number,
    ldb: number,
    beta: number,
    c: number,
    ldc: number,
    work: number,
    progress: number,
  ): void;
  gemm_batched(
    count: number,
    transA: number,
    transB: number,
    m: number,
    n: number,
    k: number,
    alpha: number,
    a: number,
    lda: number,
    strideA: number,
    b: number,
    ldb: number,
    strideB: number,
    beta: number,
    c: number,
    ldc: number,
    strideC: number,
    work: number,
    progress: number,
  ): void;
  momentum_update(
    n: number,
    learningRate: number,
    momentum: number,
    gradScale: number,
    nesterov: number,
    g: number,
    velocity: number,
    theta: number,
  ): void;
  fill(n: number, value: number, out: number): void;
  add_block(rows: number, cols: number, src: number, lds: number, dst: number, ldd: number): void;
  bytes_to_floats(n: number, src: number, divisor: number, dst: number): void;
  relu(n: number, x: number, out: number): void;
  relu_backward(n: number, x: number, dy: number, dx: number): void;
  max_pool_backward(n: number, dy: number, argmax: number, dx: number, size: number): void;
  add_row_vector(rows: number, cols: number, x: number, v: number, out: number): void;
  sum_columns(size: number, inner: number, x: number, out: number, scratch: number): void;
  im2col(...args: [number, number, number, number, number, number, number, number, number, number, number]): void;
  col2im(...args: [number, number, number, number, number, number, number, number, number, number, number]): void;
  /** im2col over `count` images: the window's 9 numbers, then x, bytes between images, col, bytes between columns. */
  im2col_batch(count: number, ...args: [...ImageWindowArguments, number, number, number, number, number]): void;
  /** col2im over `count` images: the window's 9 numbers, then col, bytes between columns, dx, bytes between images. */
  col2im_batch(count: number, ...args: [...ImageWindowArguments, number, number, number, number, number]): void;
  /** Channels `from … to` of `[outer, channels, inner]`, the three arrays, then the heartbeat's address (or 0). */
  batch_norm_statistics(...args: NumberArguments<9>): void;
  /** Channels `from … to`, ε, the seven arrays, then the heartbeat's address (or 0). */
  batch_norm_forward(...args: NumberArguments<14>): void;
  /** Channels `from … to`, ε, whether batch statistics, the seven arrays, then the heartbeat's address (or 0). */
  batch_norm_backward(...args: NumberArguments<15>): void;
  add_channel_bias(batch: number, channels: number, spatial: number, x: number, bias: number, out: number): void;
  max_pool2x2(
    from: number,
    to: number,
    height: number,
    width: number,
    x: number,
    out: number,
    argmax: number,
    progress: number,
  ): void;
  max_pool2d(
    ...args: [number, number, number, number, number, number, number, number, number, number, number, number]
  ): void;
  /** Tiles of C this instance's gemm has computed by skipping zeros of op(A) so far (a WebAssembly global). */
  readonly ZERO_SKIPPED_TILES: { readonly value: number };
}

// The smallest module that uses a v128 instruction (it returns `i32x4.splat 0`): validating it is the feature test.
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 8, 1, 6, 0, 65, 0, 253, 15, 11,
]);

/** Whether this engine runs WebAssembly with 128-bit SIMD (Node.js ≥ 16.4, Chrome ≥ 91, Firefox ≥ 89, Safari ≥ 16.4). */
export function wasmSimdSupported(): boolean {
  try {
    return webAssembly()?.validate(SIMD_PROBE) === true;
  } catch {
    return false;
  }
}

// The smallest module that uses `f32x4.relaxed_madd` (a function returning x·x + x of its v128 argument): validating
// it is the feature test for relaxed SIMD.
const RELAXED_SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 6, 1, 96, 1, 123, 1, 123, 3, 2, 1, 0, 10, 13, 1, 11, 0, 32, 0, 32, 0, 32, 0, 253, 133,
  2, 11,
]);

/**
 * Whether this engine validates WebAssembly relaxed SIMD, whose `f32x4.relaxed_madd` the gemm uses as a fused
 * multiply-add (Chrome ≥ 114, Node.js ≥ 22; Node.js 20 with `--experimental-wasm-relaxed-simd`).
 */
export function relaxedSimdSupported(): boolean {
  try {
    return webAssembly()?.validate(RELAXED_SIMD_PROBE) === true;
  } catch {
    return false;
  }
}

/** Whether a shared WebAssembly memory can be created here (Node.js; browsers only when cross-origin isolated). */
export function sharedMemorySupported(): boolean {
  if (typeof SharedArrayBuffer !== 'function') return false;
  try {
    const api = webAssembly();
    if (api === undefined) return false;
    new api.Memory({ initial: 1, maximum: 1, shared: true });
    return true;
  } catch {
    return false;
  }
}

/**
 * Compiles the kernels module for a shared or a plain memory, with exact arithmetic or with the gemm's multiply-adds
 * fused (`relaxed`: relaxed SIMD, which the engine must validate). Synchronous, so that the first op can pick this
 * backend: the module is about 11 KB, and current Chromium allows synchronous compilation on the main thread up to
 * 8 MB (older versions stopped at 4 KB; there, this throws and the default backend falls back to the reference).
 */
export function compileKernels(shared: boolean, relaxed = false): WasmModule {
  const api = webAssembly();
  if (api === undefined) throw new Error('this JavaScript engine has no WebAssembly');
  const bytes = decodeBase64(relaxed ? RELAXED_MODULE : EXACT_MODULE);
  // The modules are assembled for a shared memory; the plain one differs only in the memory import's flags.
  if (!shared) bytes[relaxed ? RELAXED_MEMORY_FLAGS_AT : EXACT_MEMORY_FLAGS_AT] = 1;
  return new api.Module(bytes);
}

/**
 * What an instance of the module imports: its memory, and the gemm's tuning from `tuning.ts`. The calling thread and
 * every worker instantiate with these, so a kernel runs the same wherever it runs.
 */
export function kernelImports(memory: WasmMemory, tuning: Tuning): object {
  return { env: { memory }, tuning: moduleTuning(tuning) };
}
