import { CACHE_LINE_BYTES } from '../tuning.js';
import type { KernelInstance } from './kernel-instance.js';

/**
 * The arrays the backend hands out (`Backend.allocate`, behind `Tensor.to(backend)`): Float32Arrays that live in the
 * shared WebAssembly memory, where the kernels read and write them in place and the worker threads see them.
 *
 * A shared memory never detaches its buffer when it grows, so the arrays stay valid for their whole life. Each starts
 * on a cache line and owns whole lines. A block returns to a free list (by size) when its array is garbage-collected
 * (a FinalizationRegistry), and is reused by the next allocation of the same size: a training loop that allocates the
 * same shapes every run settles on a fixed set.
 */
export class MemoryArena {
  private top: number;
  private readonly free = new Map<number, number[]>();
  /** Every SharedArrayBuffer object the memory has handed out; views of any of them are in this memory. */
  private readonly buffers = new WeakSet<object>();
  private readonly registry = new FinalizationRegistry<[number, number]>(([at, bytes]) => {
    const list = this.free.get(bytes);
    if (list) list.push(at);
    else this.free.set(bytes, [at]);
  });

  /**
   * @param kernels - the shared instance whose memory the arrays live in
   * @param base - the first byte the arena may use (below it: the runtime's control blocks and scratch)
   */
  constructor(
    private readonly kernels: KernelInstance,
    base: number,
  ) {
    this.top = alignToLine(base);
  }

  /** A zeroed array of `length` floats in the memory, or undefined when the memory cannot grow that far. */
  allocate(length: number): Float32Array | undefined {
    const bytes = Math.max(CACHE_LINE_BYTES, alignToLine(4 * length));
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
  holds(array: ArrayBufferView): boolean {
    return this.buffers.has(array.buffer);
  }

  /** Never hands out memory below `byte` again (memory a lost worker may still write to). */
  skipTo(byte: number): void {
    this.top = Math.max(this.top, alignToLine(byte));
  }

  /** The first byte past every block handed out so far: calls stage their operands from here up. */
  get end(): number {
    return this.top;
  }
}

function alignToLine(bytes: number): number {
  return Math.ceil(bytes / CACHE_LINE_BYTES) * CACHE_LINE_BYTES;
}
