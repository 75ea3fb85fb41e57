import { isGzip } from './gunzip.js';
import { gunzipIdx } from './gunzip-idx.js';
import { checkMaxBytes, DEFAULT_MAX_BYTES } from './max-bytes.js';
import { type IdxData, type ParseIdxOptions, parseIdx } from './parse-idx.js';

/** Options of {@link decodeIdx}. */
export interface DecodeIdxOptions extends ParseIdxOptions {
  /**
   * The largest decompressed size accepted for gzipped input, in bytes. Default {@link DEFAULT_MAX_BYTES} (256 MiB).
   * Whatever it is, gzipped input is decompressed no further than its IDX header promises.
   */
  maxBytes?: number;
}

/**
 * Decodes an IDX file that may be gzipped: gzip is recognised by its content (the magic bytes `1F 8B`, not the file
 * name), decompressed with a cap on the output size, then parsed by {@link parseIdx}. Runs in browsers and Node.js.
 *
 * Gzipped input is validated before the data is allocated too: the header is decompressed and checked first, and a
 * header promising more than `maxBytes` is rejected. Decompression then stops at the size the header promises: data
 * going on past it is an error, as trailing bytes in a raw file are, so a gzip bomb behind a valid header costs no
 * more memory than an honest file with that header. Nor is the promise trusted to allocate: the first output buffer
 * is no larger than the compressed input could possibly inflate to (deflate expands at most about 1032:1), so a tiny
 * file claiming 47 MB allocates kilobytes, and the buffer grows as data actually arrives. Multi-member gzip
 * (`cat a.gz b.gz`) decodes like the concatenation of its members.
 *
 * @param bytes - the file as fetched or read, raw or `.gz`
 * @throws {@link IdxFormatError} for invalid gzip, a header promising more than `maxBytes`, decompressed data longer
 *   or shorter than its header promises, or any other IDX format problem; RangeError for a `maxBytes` that is not a
 *   non-negative integer
 * @example
 * ```ts
 * const response = await fetch('/data/t10k-labels-idx1-ubyte.gz');
 * const labels = await decodeIdx(new Uint8Array(await response.arrayBuffer()), { name: 't10k-labels-idx1-ubyte.gz' });
 * labels.dims; // [10000]
 * ```
 */
export async function decodeIdx(bytes: Uint8Array | ArrayBuffer, options: DecodeIdxOptions = {}): Promise<IdxData> {
  const input = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  checkMaxBytes('decodeIdx', maxBytes);
  if (!isGzip(input)) return parseIdx(input, options);
  const raw = await gunzipIdx(input, options.name ?? 'IDX data', maxBytes);
  // The decompressed buffer belongs to no one else, so a view into it is as good as a copy.
  return parseIdx(raw, { ...options, copy: false });
}
