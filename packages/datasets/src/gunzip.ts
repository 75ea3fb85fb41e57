import { IdxFormatError } from './idx-format-error.js';

/** Options of {@link gunzip}. */
export interface GunzipOptions {
  /** The file name that error messages give. Default `'gzip data'`. */
  name?: string;
  /**
   * The largest decompressed size accepted, in bytes; decompression stops as soon as the output passes it, so a
   * small malicious file cannot inflate into gigabytes. Default {@link DEFAULT_MAX_BYTES} (256 MiB).
   */
  maxBytes?: number;
}

/** The default cap on decompressed (and downloaded) sizes: 256 MiB, over five times MNIST's largest file. */
export const DEFAULT_MAX_BYTES = 256 * 1024 * 1024;

/** How much compressed input is handed to the decompressor at a time, so work stops soon after the cap. */
const INPUT_SLICE = 1024 * 1024;

// The few members of the web streams API used here, typed locally so that the universal entry needs neither the DOM
// library nor Node's types.
interface StreamReader {
  read(): Promise<{ done: boolean; value?: Uint8Array }>;
  cancel(reason?: unknown): Promise<void>;
}
interface StreamWriter {
  write(chunk: Uint8Array): Promise<void>;
  close(): Promise<void>;
}
interface DecompressionStreamLike {
  readonly readable: { getReader(): StreamReader };
  readonly writable: { getWriter(): StreamWriter };
}
type DecompressionStreamConstructor = new (format: 'gzip') => DecompressionStreamLike;

/**
 * Whether bytes start with the gzip magic number `1F 8B` (RFC 1952). Content decides, not the file name: a `.gz`
 * file that a server already decompressed is raw, and a raw-named file may be gzipped.
 */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Decompresses gzip data with the platform's `DecompressionStream` (Node.js 18+ and every current browser), chunk by
 * chunk, stopping as soon as the output passes `maxBytes`.
 *
 * @throws {@link IdxFormatError} when the data is not valid gzip or decompresses to more than `maxBytes`
 * @example
 * ```ts
 * const raw = isGzip(bytes) ? await gunzip(bytes, { name: 'train-images-idx3-ubyte.gz' }) : bytes;
 * ```
 */
export function gunzip(bytes: Uint8Array, options: GunzipOptions = {}): Promise<Uint8Array> {
  return inflate(bytes, options.name ?? 'gzip data', options.maxBytes ?? DEFAULT_MAX_BYTES);
}

/**
 * {@link gunzip} with two controls for callers that know the format inside: `stopAfter` returns quietly once that
 * many bytes are out (to read a header), and `expectedSize` sizes the output buffer up front. Without it the buffer
 * starts from the gzip trailer's length field, which is untrusted: it is capped by what the input could possibly
 * inflate to, and the buffer grows if the data turns out longer. @internal
 */
export async function inflate(
  bytes: Uint8Array,
  name: string,
  maxBytes: number,
  control: { stopAfter?: number; expectedSize?: number } = {},
): Promise<Uint8Array> {
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 0) {
    throw new RangeError(`gunzip: maxBytes must be a non-negative integer, found ${maxBytes}`);
  }
  const Decompression = (globalThis as { DecompressionStream?: DecompressionStreamConstructor }).DecompressionStream;
  if (Decompression === undefined) {
    throw new Error('gunzip: this platform has no DecompressionStream (Node.js 18+ and current browsers have one)');
  }

  const stream = new Decompression('gzip');
  const writer = stream.writable.getWriter();
  const reader = stream.readable.getReader();
  let stopped = false;
  // Feed the input in slices while reading: awaiting one large write before reading would deadlock on backpressure.
  const feeding = (async () => {
    for (let start = 0; start < bytes.length && !stopped; start += INPUT_SLICE) {
      await writer.write(bytes.subarray(start, start + INPUT_SLICE));
    }
    if (!stopped) await writer.close();
  })();
  feeding.catch(() => {}); // a failure also errors the readable side, where it is reported

  const limit = Math.min(maxBytes, control.stopAfter ?? maxBytes);
  let out = new Uint8Array(Math.min(limit, initialSize(bytes, control.expectedSize)));
  let length = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!value || value.length === 0) continue;
      if (length + value.length > limit) {
        stopped = true;
        await reader.cancel().catch(() => {});
        if (control.stopAfter !== undefined && limit < maxBytes) {
          out.set(value.subarray(0, limit - length), length);
          return out.subarray(0, limit);
        }
        throw new IdxFormatError(
          name,
          `at most ${maxBytes} bytes once decompressed (maxBytes)`,
          `more than ${maxBytes} bytes; raise maxBytes if the file is genuine`,
        );
      }
      if (length + value.length > out.length) {
        const grown = new Uint8Array(Math.min(limit, Math.max(2 * out.length, length + value.length)));
        grown.set(out.subarray(0, length));
        out = grown;
      }
      out.set(value, length);
      length += value.length;
    }
  } catch (error) {
    stopped = true;
    if (error instanceof IdxFormatError) throw error;
    throw new IdxFormatError(name, 'valid gzip data', `a decompression error (${(error as Error).message})`);
  }
  return length === out.length ? out : out.slice(0, length);
}

/** The first output buffer's size: the expected size, or the trailer's length field when the input could reach it. */
function initialSize(bytes: Uint8Array, expectedSize: number | undefined): number {
  if (expectedSize !== undefined) return expectedSize;
  if (bytes.length < 18) return 0;
  // ISIZE, the last four bytes (little-endian), is the uncompressed length modulo 2³² of the last member. Deflate
  // expands at most about 1032:1, so a larger claim is false and ignored.
  const hint = new DataView(bytes.buffer, bytes.byteOffset + bytes.length - 4, 4).getUint32(0, true);
  return hint <= bytes.length * 1032 ? hint : 65536;
}
