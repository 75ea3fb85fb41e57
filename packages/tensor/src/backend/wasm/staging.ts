import type { KernelInstance } from './kernels.js';

const align16 = (bytes: number) => (bytes + 15) & ~15;

/** Below this many elements a staged kernel loses to the reference one: the copies cost more than the loop. */
export const MIN_ELEMENTS = 256;

/**
 * Lays out a kernel call's operands in WebAssembly memory, from `base` up: each array 16-byte aligned and padded to a
 * whole number of f32x4 vectors (plus any extra bytes asked for), so vector loops may run past `n` harmlessly.
 * Copies are `TypedArray.set` calls, which are memcpy for a plain (non-shared) memory.
 */
export class Staging {
  private next: number;
  private memory: Float32Array | undefined;

  constructor(
    readonly kernels: KernelInstance,
    private readonly base: number,
  ) {
    this.next = base;
  }

  /** Starts a new call's layout, at `base` when given (the first free byte of a memory that also holds other data). */
  reset(base = this.base): this {
    this.next = base;
    this.memory = undefined;
    return this;
  }

  /** Reserves room for `floats` values (and `extraBytes` more) and returns its byte offset. */
  reserve(floats: number, extraBytes = 0): number {
    const at = this.next;
    this.next = align16(at + 4 * floats + extraBytes + 15);
    return at;
  }

  /** The first byte past everything reserved so far. */
  get end(): number {
    return this.next;
  }

  /**
   * Grows the memory to hold everything reserved so far; false when it would pass the module's limit (the caller then
   * falls back to the reference kernel). Call it after the last `reserve` and before the first copy.
   */
  commit(): boolean {
    if (!this.kernels.reserve(this.next)) return false;
    this.memory = this.kernels.floats();
    return true;
  }

  /** Copies `source[offset : offset + length]` to byte offset `at`. */
  copyIn(at: number, source: Float32Array, offset: number, length: number): void {
    (this.memory as Float32Array).set(
      offset === 0 && length === source.length ? source : source.subarray(offset, offset + length),
      at >> 2,
    );
  }

  /** Copies `source[offset : offset + length]`, bytes, to byte offset `at`. */
  copyBytesIn(at: number, source: Uint8Array, offset: number, length: number): void {
    this.kernels.bytes().set(source.subarray(offset, offset + length), at);
  }

  /** Copies `length` int32 values from byte offset `at` into the start of `target`. */
  copyOutInt32(at: number, target: Int32Array, length: number): void {
    const memory = this.memory as Float32Array;
    target.set(new Int32Array(memory.buffer, at, length));
  }

  /** Copies `length` values from byte offset `at` into `target` at `offset`. */
  copyOut(at: number, target: Float32Array, offset: number, length: number): void {
    const words = at >> 2;
    target.set((this.memory as Float32Array).subarray(words, words + length), offset);
  }
}
