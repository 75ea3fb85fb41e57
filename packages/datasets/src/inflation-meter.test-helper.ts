import { expect, vi } from 'vitest';
import { readIdxHeader } from './parse-idx.js';

/** What one decompression stream handed out while {@link meterInflation} watched. @internal */
export interface MeteredStream {
  /** The bytes the decompressor delivered to its reader, in all. */
  delivered: number;
  /** The first bytes delivered (up to {@link PREFIX_BYTES}), enough to hold any IDX header. */
  prefix: Uint8Array;
}

/** What {@link meterInflation} saw. @internal */
export interface InflationMeter<T> {
  /** How `body` ended. */
  outcome: PromiseSettledResult<T>;
  /** Every `DecompressionStream` created, in order. */
  streams: MeteredStream[];
  /**
   * The largest `new Uint8Array(length)` made through the global constructor. Typed arrays made inside Node.js (the
   * decompressor's own chunks) do not go through it; those are counted by {@link MeteredStream.delivered}.
   */
  largestAllocation: number;
}

/** The part of a stream reader that `inflate` uses. */
interface MeteredReader {
  read(): Promise<{ done: boolean; value?: Uint8Array }>;
  cancel(reason?: unknown): Promise<void>;
}

/** The longest IDX header: a 4-byte magic number and 255 sizes. @internal */
export const PREFIX_BYTES = 4 + 4 * 255;

/**
 * The most a decompressor may deliver past the output its reader keeps: the reader only learns that the output went
 * too far from the chunk that takes it there, and Node.js's zlib hands out chunks of 16 KiB. Four chunks of slack, so
 * that a different chunk size does not fail the bound while a bomb (megabytes) still does. @internal
 */
export const CHUNK_SLACK = 4 * 16 * 1024;

/**
 * Runs `body` while counting, through stubbed globals, the bytes every `DecompressionStream` delivers and the
 * largest `Uint8Array` allocated: a measure of memory that does not depend on timing. Test-only. @internal
 */
export async function meterInflation<T>(body: () => Promise<T>): Promise<InflationMeter<T>> {
  const streams: MeteredStream[] = [];
  let largestAllocation = 0;
  const Native = globalThis.DecompressionStream;
  const NativeUint8Array = Uint8Array;
  const metered = class {
    readonly writable: InstanceType<typeof Native>['writable'];
    readonly readable: { getReader(): MeteredReader };
    constructor(format: 'gzip') {
      const inner = new Native(format);
      const stream: MeteredStream = { delivered: 0, prefix: new NativeUint8Array(0) };
      streams.push(stream);
      this.writable = inner.writable;
      this.readable = {
        getReader() {
          const reader = inner.readable.getReader();
          return {
            async read() {
              const result = await reader.read();
              if (result.value) {
                if (stream.prefix.length < PREFIX_BYTES) {
                  const more = result.value.subarray(0, PREFIX_BYTES - stream.prefix.length);
                  const prefix = new NativeUint8Array(stream.prefix.length + more.length);
                  prefix.set(stream.prefix);
                  prefix.set(more, stream.prefix.length);
                  stream.prefix = prefix;
                }
                stream.delivered += result.value.length;
              }
              return result;
            },
            cancel: (reason?: unknown) => reader.cancel(reason),
          };
        },
      };
    }
  };
  const counting = new Proxy(NativeUint8Array, {
    construct(target, args, newTarget) {
      if (typeof args[0] === 'number') largestAllocation = Math.max(largestAllocation, args[0]);
      return Reflect.construct(target, args, newTarget);
    },
  });
  vi.stubGlobal('DecompressionStream', metered);
  vi.stubGlobal('Uint8Array', counting);
  let outcome: PromiseSettledResult<T>;
  try {
    outcome = { status: 'fulfilled', value: await body() };
  } catch (reason) {
    outcome = { status: 'rejected', reason };
  } finally {
    vi.unstubAllGlobals();
  }
  return { outcome, streams, largestAllocation };
}

/**
 * Checks that decoding a gzipped IDX file inflated no further than its header promised: first the header alone (at
 * most {@link PREFIX_BYTES}, give or take a chunk), then, only behind a valid header promising at most `maxBytes`, no
 * further than that promise. Returns the promised size of header and data, or 0 when no data was inflated. Test-only.
 * @internal
 */
export function expectInflatedWithinPromise(streams: readonly MeteredStream[], maxBytes: number): number {
  expect(streams.length).toBeGreaterThanOrEqual(1);
  expect(streams.length).toBeLessThanOrEqual(2);
  expect(streams[0].delivered).toBeLessThanOrEqual(PREFIX_BYTES + CHUNK_SLACK);
  if (streams.length === 1) return 0;
  const header = readIdxHeader(streams[0].prefix, 'the inflated header');
  const promised = header.headerLength + header.dataBytes;
  expect(promised).toBeLessThanOrEqual(maxBytes);
  expect(streams[1].delivered).toBeLessThanOrEqual(promised + CHUNK_SLACK);
  return promised;
}
