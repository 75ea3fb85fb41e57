import {
  compileKernels,
  type KernelExports,
  kernelImports,
  type WasmMemory,
  type WasmModule,
  webAssembly,
} from '../kernels.js';
import { INITIAL_MEMORY_BYTES, MAX_MEMORY_PAGES, type Tuning } from '../tuning.js';

const PAGE_BYTES = 65536;

/**
 * One instance of the kernels module over its own memory, plain or shared, with views of that memory kept current as
 * it grows.
 */
export class KernelInstance {
  /** The compiled module (posted to the workers, which instantiate it on the same memory). */
  readonly module: WasmModule;
  /** The instance's memory. */
  readonly memory: WasmMemory;
  /** The kernels. */
  readonly exports: KernelExports;
  /** Whether the memory is shared. */
  readonly shared: boolean;
  /** The tuning the module was instantiated with (workers on this memory instantiate with the same). */
  readonly tuning: Tuning;
  /** Whether the module fuses the gemm's multiply-adds (relaxed SIMD); workers get the same module. */
  readonly relaxed: boolean;
  private floatView: Float32Array;
  private intView: Int32Array;
  private byteView: Uint8Array;

  /**
   * @param shared - a shared memory (which worker threads can share) or a plain one
   * @param tuning - the tuning the module imports
   * @param options - `relaxed`: the module with fused multiply-adds (the engine must validate relaxed SIMD; default
   *   false); `initialBytes`: the memory's first size
   * @throws Error when the engine has no WebAssembly; RangeError (from the engine) when the memory cannot be had
   */
  constructor(
    shared: boolean,
    tuning: Tuning,
    { relaxed = false, initialBytes = INITIAL_MEMORY_BYTES }: { relaxed?: boolean; initialBytes?: number } = {},
  ) {
    const api = webAssembly();
    if (api === undefined) throw new Error('this JavaScript engine has no WebAssembly');
    this.shared = shared;
    this.tuning = tuning;
    this.relaxed = relaxed;
    this.module = compileKernels(shared, relaxed);
    const initial = Math.min(MAX_MEMORY_PAGES, Math.ceil(initialBytes / PAGE_BYTES));
    this.memory = new api.Memory({ initial, maximum: MAX_MEMORY_PAGES, shared });
    this.exports = new api.Instance(this.module, kernelImports(this.memory, tuning)).exports as KernelExports;
    this.floatView = new Float32Array(this.memory.buffer);
    this.intView = new Int32Array(this.memory.buffer);
    this.byteView = new Uint8Array(this.memory.buffer);
  }

  /** Grows the memory to at least `bytes`; false when that would pass {@link MAX_MEMORY_PAGES} or the engine refuses. */
  reserve(bytes: number): boolean {
    const have = this.floatView.byteLength;
    if (bytes <= have) return true;
    const pages = Math.ceil((bytes - have) / PAGE_BYTES);
    if (have / PAGE_BYTES + pages > MAX_MEMORY_PAGES) return false;
    try {
      this.memory.grow(pages);
    } catch {
      // The engine could not find the memory (it may refuse below the maximum): the caller falls back.
      return false;
    }
    this.refreshViews();
    return true;
  }

  /**
   * A Float32Array over the whole memory. Only {@link KernelInstance.reserve} grows the memory (the module never does,
   * nor do the workers), and it renews the views, since growth replaces the buffer (and detaches a plain one).
   */
  floats(): Float32Array {
    return this.floatView;
  }

  /** An Int32Array over the whole memory, kept current like {@link KernelInstance.floats}. */
  ints(): Int32Array {
    return this.intView;
  }

  /** A Uint8Array over the whole memory, kept current like {@link KernelInstance.floats}. */
  bytes(): Uint8Array {
    return this.byteView;
  }

  private refreshViews(): void {
    this.floatView = new Float32Array(this.memory.buffer);
    this.intView = new Int32Array(this.memory.buffer);
    this.byteView = new Uint8Array(this.memory.buffer);
  }
}
