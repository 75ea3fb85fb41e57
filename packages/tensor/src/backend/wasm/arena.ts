import type { KernelInstance } from './kernels.js';

/** Allocation granularity: 64 bytes, a cache line, so no two arrays share one and every array is vector-aligned. */
const GRAIN = 64;

/**
 * Float32Arrays that live in a shared WebAssembly memory, so the kernels read and write them in place: the storage
 * behind `Tensor.resident` on the `wasm-simd` backend.
 *
 * A shared memory never detaches its buffer when it grows, so the arrays stay valid for their whole life. A block
 * returns to a free list (by size) when its array is garbage-collected (a FinalizationRegistry), and is reused by the
 * next allocation of the same size: a training loop that allocates the same shapes every run settles on a fixed set.
 */
export class ResidentArena {
  private top: number;
  private readonly free = new Map<number, number[]>();
  /** Every SharedArrayBuffer object the memory has handed out; views of any of them are resident. */
  private readonly buffers = new WeakSet<object>();
  private readonly registry = new FinalizationRegistry<[number, number]>(([at, bytes]) => {
    const list = this.free.get(bytes);
    if (list) list.push(at);
    else this.free.set(bytes, [at]);
  });

  constructor(
    private readonly kernels: KernelInstance,
    base: number,
  ) {
    this.top = Math.ceil(base / GRAIN) * GRAIN;
  }

  /** A zeroed array of `length` floats in the memory, or undefined when the memory cannot grow that far. */
  allocate(length: number): Float32Array | undefined {
    const bytes = Math.max(GRAIN, Math.ceil((4 * length) / GRAIN) * GRAIN);
    let at = this.free.get(bytes)?.pop();
    if (at === undefined) {
      if (!this.kernels.reserve(this.top + bytes)) return undefined;
      at = this.top;
      this.top += bytes;
    }
    const buffer = this.kernels.memory.buffer;
    this.buffers.add(buffer);
    const array = new Float32Array(buffer, at, length);
    // A reused block holds its last owner's values.
    array.fill(0);
    this.registry.register(array, [at, bytes]);
    return array;
  }

  /** Whether `array` is a view of this memory (allocated here, or a subarray of such an array). */
  holds(array: Float32Array | Int32Array): boolean {
    return this.buffers.has(array.buffer);
  }

  /** Never hands out memory below `byte` again (memory a lost worker may still write to). */
  skipTo(byte: number): void {
    this.top = Math.max(this.top, Math.ceil(byte / GRAIN) * GRAIN);
  }

  /** The first byte past every block handed out so far. */
  get end(): number {
    return this.top;
  }
}
