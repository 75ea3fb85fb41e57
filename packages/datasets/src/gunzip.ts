import { IdxFormatError } from './idx-format-error.js';
import { checkMaxBytes, DEFAULT_MAX_BYTES } from './max-bytes.js';

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
 * chunk, stopping as soon as the output passes `maxBytes`. For an IDX file, {@link decodeIdx} caps the output lower:
 * at the size its header promises.
 *
 * @throws {@link IdxFormatError} when the data is not valid gzip or decompresses to more than `maxBytes`;
 *   RangeError for a `maxBytes` that is not a non-negative integer; Error on a platform without `DecompressionStream`
 * @example
 * ```ts
 * const bytes = new Uint8Array(await (await fetch('/data/train-images-idx3-ubyte.gz')).arrayBuffer());
 * const raw = isGzip(bytes) ? await gunzip(bytes, { name: 'train-images-idx3-ubyte.gz' }) : bytes;
 * ```
 */
export async function gunzip(bytes: Uint8Array, options: GunzipOptions = {}): Promise<Uint8Array> {
  const name = options.name ?? 'gzip data';
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  checkMaxBytes('gunzip', maxBytes);
  const overflow = () =>
    new IdxFormatError(
      name,
      `at most ${maxBytes} bytes once decompressed (maxBytes)`,
      `more than ${maxBytes} bytes; raise maxBytes if the file is genuine`,
    );
  return inflate(bytes, name, { kind: 'cap', bytes: maxBytes, overflow });
}

/**
 * How much output {@link inflate} keeps, and what happens past it. @internal
 *
 * - `prefix`: keep the first `bytes` and stop quietly, to read a header from the start of a file;
 * - `cap`: keep at most `bytes`, and throw `overflow()` as soon as the output would go further. `expectedSize` (by
 *   default the gzip trailer's ISIZE) only sizes the first buffer.
 */
export type InflateLimit =
  | { readonly kind: 'prefix'; readonly bytes: number }
  | {
      readonly kind: 'cap';
      readonly bytes: number;
      readonly overflow: () => IdxFormatError;
      readonly expectedSize?: number;
    };

/**
 * Decompresses gzip data, keeping no more output than `limit` allows. The decompressor stops soon after the limit
 * too: streams apply backpressure, so it waits for its chunks (16 KiB in Node.js) to be read and never runs far ahead
 * of the reader, which cancels it at the limit. No size hint is trusted: the first buffer is never larger than what
 * the input could possibly inflate to, and it grows as data actually arrives, up to the limit. @internal
 */
export async function inflate(bytes: Uint8Array, name: string, limit: InflateLimit): Promise<Uint8Array> {
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

  const hint = limit.kind === 'prefix' ? limit.bytes : limit.expectedSize;
  let out = new Uint8Array(initialSize(bytes, hint, limit.bytes));
  let length = 0;
  let ended = false;
  try {
    while (!(limit.kind === 'prefix' && length === limit.bytes)) {
      const { done, value } = await reader.read();
      if (done) {
        ended = true;
        break;
      }
      if (!value || value.length === 0) continue;
      if (limit.kind === 'cap' && length + value.length > limit.bytes) throw limit.overflow();
      const take = Math.min(value.length, limit.bytes - length);
      if (length + take > out.length) {
        // Grow geometrically, so a buffer that started small (a false trailer, a multi-member file) costs amortised
        // linear copying; never past the limit, which the data has been checked against.
        const grown = new Uint8Array(Math.min(limit.bytes, Math.max(2 * out.length, length + take)));
        grown.set(out.subarray(0, length));
        out = grown;
      }
      out.set(take === value.length ? value : value.subarray(0, take), length);
      length += take;
    }
  } catch (error) {
    if (error instanceof IdxFormatError) throw error;
    ended = true; // the stream failed: nothing is left to cancel
    throw new IdxFormatError(name, 'valid gzip data', `a decompression error (${(error as Error).message})`);
  } finally {
    stopped = true;
    if (!ended) await reader.cancel().catch(() => {});
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
