import type { KernelExports } from '../kernels.js';
import type { KernelInstance } from './kernel-instance.js';
import type { MemoryArena } from './memory-arena.js';
import type { Placement } from './placement.js';

/** The most operands one call lays out (batch normalisation's backward pass has seven). */
const MAX_OPERANDS = 12;

const align16 = (bytes: number) => (bytes + 15) & ~15;

/** An operand's array: floats, or int32 (max pooling's argmax). */
type OperandArray = Float32Array | Int32Array;

/**
 * The layout of one kernel call's operands in WebAssembly memory, by its {@link Placement}. Each operand is declared
 * once, as what the kernel does with it, and the frame answers with the byte address to pass the kernel:
 *
 * - an operand in the backend's memory is used where it is, unless the call is `staged` (in the plain memory);
 * - any other is given a slot from the frame's base up, 16-byte aligned and padded to whole f32x4 vectors (so vector
 *   loops may run past the end harmlessly), copied in by {@link CallFrame.commit} if the kernel reads it and copied
 *   back by {@link CallFrame.finish} if the kernel writes it;
 * - an output that is a staged input (`out === x`, which elementwise kernels allow) shares that input's slot, so the
 *   kernel sees the aliasing it would see in place, and nothing is laid out twice.
 *
 * One frame serves every call of a runtime, one call at a time, and allocates nothing per call: a kernel call is
 * `begin` (by the runtime), the declarations, `commit`, the kernel, `finish`.
 */
export class CallFrame {
  /** Where the current call runs. */
  placement: Placement = 'staged';
  /** The instance the current call runs on. */
  kernels: KernelInstance;
  /** Worker threads that take a share of the current call (0: the calling thread alone). */
  helpers = 0;
  /** Floats the current call copied into WebAssembly memory. */
  floatsIn = 0;
  /** Floats the current call copied back out of it. */
  floatsOut = 0;
  private arena: MemoryArena | undefined;
  private next = 0;
  /** The first byte past every operand used in place, including what the kernel may read past one's end. */
  private placedEnd = 0;
  private count = 0;
  private readonly arrays: (OperandArray | undefined)[] = new Array(MAX_OPERANDS).fill(undefined);
  private readonly offsets: number[] = new Array(MAX_OPERANDS).fill(0);
  private readonly addresses: number[] = new Array(MAX_OPERANDS).fill(0);
  /** Rows, columns and row stride of what is copied: one row of `length` for a flat operand. */
  private readonly rows: number[] = new Array(MAX_OPERANDS).fill(0);
  private readonly cols: number[] = new Array(MAX_OPERANDS).fill(0);
  private readonly strides: number[] = new Array(MAX_OPERANDS).fill(0);
  private readonly copiesIn: boolean[] = new Array(MAX_OPERANDS).fill(false);
  private readonly copiesOut: boolean[] = new Array(MAX_OPERANDS).fill(false);

  /** @param kernels - the instance a frame starts on (each `begin` names the call's own) */
  constructor(kernels: KernelInstance) {
    this.kernels = kernels;
  }

  /**
   * Starts laying out a call (the runtime calls this; see `WasmRuntime.begin`), ending the previous call's frame.
   * @param placement - where the call runs
   * @param kernels - the instance it runs on: the plain one when `staged`, else the shared one
   * @param base - the first free byte of that memory, where staged operands go
   * @param arena - the arrays in the backend's memory, used in place unless `staged`
   * @param helpers - worker threads that take a share
   */
  begin(
    placement: Placement,
    kernels: KernelInstance,
    base: number,
    arena: MemoryArena | undefined,
    helpers: number,
  ): this {
    for (let i = 0; i < this.count; i++) this.arrays[i] = undefined;
    this.placement = placement;
    this.kernels = kernels;
    this.arena = placement === 'staged' ? undefined : arena;
    this.helpers = helpers;
    this.next = base;
    this.placedEnd = 0;
    this.count = 0;
    this.floatsIn = 0;
    this.floatsOut = 0;
    return this;
  }

  /** The current call's kernels. */
  get exports(): KernelExports {
    return this.kernels.exports;
  }

  /** Whether the current call copies its operands (it is `staged` or `staged-shared`). */
  get staged(): boolean {
    return this.placement !== 'in-place';
  }

  /** The first byte past everything laid out so far. */
  get end(): number {
    return this.next;
  }

  /**
   * An operand the kernel reads: `length` elements of `array` from `offset`. `readable` elements must be readable
   * there (the gemm reads up to 3 rows past op(A)'s last), of which only `length` are copied in.
   */
  input(array: OperandArray, offset: number, length: number, readable = length): number {
    return this.operand(array, offset, 1, length, length, readable, true, false);
  }

  /** An operand the kernel only writes: `length` elements of `array` from `offset`. */
  output(array: OperandArray, offset: number, length: number): number {
    return this.operand(array, offset, 1, length, length, length, false, true);
  }

  /** An operand the kernel reads and writes (an accumulation, an update in place). */
  update(array: Float32Array, offset: number, length: number): number {
    return this.operand(array, offset, 1, length, length, length, true, true);
  }

  /**
   * A `rows × cols` matrix with row stride `stride` from `offset` that the kernel writes, and reads first when
   * `readFirst` (gemm's C with β ≠ 0). A staged one that is only written is copied back row by row, so the gaps
   * between its rows, never staged, are left alone.
   */
  outputMatrix(
    array: Float32Array,
    offset: number,
    rows: number,
    cols: number,
    stride: number,
    readFirst: boolean,
  ): number {
    const span = (rows - 1) * stride + cols;
    // Read first, or without gaps between rows, it is copied whole.
    return readFirst || stride === cols
      ? this.operand(array, offset, 1, span, span, span, readFirst, true)
      : this.operand(array, offset, rows, cols, stride, span, false, true);
  }

  /** Scratch for the kernel alone: `floats` values and `extraBytes` more, never copied. */
  scratch(floats: number, extraBytes = 0): number {
    const at = this.next;
    this.next = align16(at + 4 * floats + extraBytes + 15);
    return at;
  }

  /**
   * Grows the memory to hold the layout, then copies the inputs in. False when the memory cannot grow that far: the
   * caller then runs the reference kernel instead, and nothing was copied.
   */
  commit(): boolean {
    if (!this.kernels.reserve(Math.max(this.next, this.placedEnd))) return false;
    for (let i = 0; i < this.count; i++) {
      if (!this.copiesIn[i]) continue;
      const array = this.arrays[i] as OperandArray;
      const offset = this.offsets[i];
      const length = this.cols[i];
      const whole = offset === 0 && length === array.length;
      this.view(array).set(whole ? array : array.subarray(offset, offset + length), this.addresses[i] >> 2);
      this.floatsIn += length;
    }
    return true;
  }

  /** Copies `length` bytes of `source` from `offset` to byte `at` (a gather's rows; call after `commit`). */
  copyBytesIn(at: number, source: Uint8Array, offset: number, length: number): void {
    this.kernels.bytes().set(source.subarray(offset, offset + length), at);
  }

  /** Copies the outputs back to their arrays, and lets go of the arrays. */
  finish(): void {
    for (let i = 0; i < this.count; i++) {
      const array = this.arrays[i] as OperandArray;
      this.arrays[i] = undefined;
      if (!this.copiesOut[i]) continue;
      const memory = this.view(array);
      const rows = this.rows[i];
      const cols = this.cols[i];
      const stride = this.strides[i];
      for (let r = 0; r < rows; r++) {
        const from = (this.addresses[i] >> 2) + r * stride;
        array.set(memory.subarray(from, from + cols), this.offsets[i] + r * stride);
      }
      this.floatsOut += rows * cols;
    }
    this.count = 0;
  }

  /** Lays out one operand and returns its byte address: in place, in the slot of the input it aliases, or a new slot. */
  private operand(
    array: OperandArray,
    offset: number,
    rows: number,
    cols: number,
    stride: number,
    readable: number,
    copyIn: boolean,
    copyOut: boolean,
  ): number {
    const address = array.byteOffset + 4 * offset;
    if (this.arena?.holds(array)) {
      this.placedEnd = Math.max(this.placedEnd, address + 4 * readable);
      return address;
    }
    const i = this.count++;
    if (i === MAX_OPERANDS) throw new Error(`CallFrame: more than ${MAX_OPERANDS} operands in one call`);
    this.arrays[i] = array;
    this.offsets[i] = offset;
    this.rows[i] = rows;
    this.cols[i] = cols;
    this.strides[i] = stride;
    this.copiesIn[i] = copyIn;
    this.copiesOut[i] = copyOut;
    const alias = copyIn ? -1 : this.stagedInput(array, offset, readable);
    this.addresses[i] = alias >= 0 ? this.addresses[alias] : this.scratch(readable);
    return this.addresses[i];
  }

  /**
   * The slot of a staged input that is `array` itself from the same `offset` and as long, or -1. (Sharing the slot only
   * saves room and a copy: two slots for two views of one memory would give the same result, since the input's slot
   * holds a copy.)
   */
  private stagedInput(array: OperandArray, offset: number, length: number): number {
    for (let j = 0; j < this.count - 1; j++) {
      if (this.arrays[j] === array && this.copiesIn[j] && this.offsets[j] === offset && this.cols[j] === length)
        return j;
    }
    return -1;
  }

  /** A view of the current memory of the element type of `array`. */
  private view(array: OperandArray): OperandArray {
    return array instanceof Int32Array ? this.kernels.ints() : this.kernels.floats();
  }
}
