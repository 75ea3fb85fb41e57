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

// The few members of the web streams API used here, typed locally so that the universal entry type-checks without
// the DOM library or Node's types. (The package's tsconfig does load Node's types, for the `./node` entry, so they
// would compile here too; relying on them would tie this browser-safe file to Node's declarations.)
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
 * many bytes are out (to read a header), and `expectedSize` is the size the caller expects, used to size the output
 * buffer. Neither that nor the gzip trailer's length field is trusted: the first buffer is never larger than what the
 * input could possibly inflate to, and it grows as data actually arrives, up to `maxBytes`. @internal
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

  // Reading a header stops quietly at `stopAfter`; anything else stops with an error at `maxBytes`.
  const quietStop = control.stopAfter !== undefined && control.stopAfter < maxBytes;
  const limit = quietStop ? (control.stopAfter as number) : maxBytes;
  let out = new Uint8Array(initialSize(bytes, control.expectedSize, limit));
  let length = 0;
  try {
    for (;;) {
      if (quietStop && length === limit) {
        stopped = true;
        await reader.cancel().catch(() => {});
        break;
      }
      const { done, value } = await reader.read();
      if (done) break;
      if (!value || value.length === 0) continue;
      if (!quietStop && length + value.length > limit) {
        stopped = true;
        await reader.cancel().catch(() => {});
        throw new IdxFormatError(
          name,
          `at most ${maxBytes} bytes once decompressed (maxBytes)`,
          `more than ${maxBytes} bytes; raise maxBytes if the file is genuine`,
        );
      }
      const take = Math.min(value.length, limit - length);
      if (length + take > out.length) {
        // Grow geometrically, so a buffer that started small (a false trailer, a multi-member file) costs amortised
        // linear copying; never past the limit, which the data has been checked against.
        const grown = new Uint8Array(Math.min(limit, Math.max(2 * out.length, length + take)));
        grown.set(out.subarray(0, length));
        out = grown;
      }
      out.set(take === value.length ? value : value.subarray(0, take), length);
      length += take;
    }
  } catch (error) {
    stopped = true;
    if (error instanceof IdxFormatError) throw error;
    throw new IdxFormatError(name, 'valid gzip data', `a decompression error (${(error as Error).message})`);
  }
  return length === out.length ? out : out.slice(0, length);
}

/**
 * Deflate's largest possible expansion: a 258-byte match coded in two bits gives about 1032 output bytes per input
 * byte (zlib's technical details, "Maximum compression factor"). gzip's header and trailer (18 bytes or more, which
 * inflate to nothing) more than cover the odd literal a stream starts with, so `input length · 1032` bounds the output.
 */
const DEFLATE_MAX_RATIO = 1032;

/**
 * The first output buffer's size. A caller's expected size (from an untrusted header) or the trailer's ISIZE (the
 * last member's length modulo 2³², so wrong for multi-member files) is only a hint: it is capped by what the input
 * can inflate to and by the limit, so a tiny file claiming gigabytes allocates little, and the buffer grows later if
 * the hint was short.
 */
function initialSize(bytes: Uint8Array, expectedSize: number | undefined, limit: number): number {
  const reachable = bytes.length * DEFLATE_MAX_RATIO;
  let hint = expectedSize;
  if (hint === undefined) {
    hint =
      bytes.length < 18 ? 0 : new DataView(bytes.buffer, bytes.byteOffset + bytes.length - 4, 4).getUint32(0, true);
  }
  return Math.max(0, Math.min(limit, reachable, hint));
}
