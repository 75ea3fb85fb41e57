import { DEFAULT_MAX_BYTES, inflate, isGzip } from './gunzip.js';
import { IdxFormatError } from './idx-format-error.js';
import { describeData, type IdxData, type ParseIdxOptions, parseIdx, readIdxHeader } from './parse-idx.js';

/** Options of {@link decodeIdx}. */
export interface DecodeIdxOptions extends ParseIdxOptions {
  /** The largest decompressed size accepted for gzipped input, in bytes. Default 256 MiB. */
  maxBytes?: number;
}

/**
 * Decodes an IDX file that may be gzipped: gzip is recognised by its content (the magic bytes `1F 8B`, not the file
 * name), decompressed with a cap on the output size, then parsed by {@link parseIdx}. Runs in browsers and Node.js.
 *
 * Gzipped input is validated before the data is allocated too: the header is decompressed and checked first, and a
 * header promising more than `maxBytes` is rejected. The promise only sizes the first output buffer as far as the
 * compressed input could possibly inflate (deflate expands at most about 1032:1), so a tiny file claiming 47 MB
 * allocates kilobytes; the buffer grows as data actually arrives, never past `maxBytes`. Multi-member gzip
 * (`cat a.gz b.gz`) decodes like the concatenation of its members.
 *
 * @param bytes - the file as fetched or read, raw or `.gz`
 * @throws {@link IdxFormatError} for invalid gzip, output over `maxBytes`, or any IDX format problem
 * @example
 * ```ts
 * const response = await fetch('/data/t10k-labels-idx1-ubyte.gz');
 * const labels = await decodeIdx(new Uint8Array(await response.arrayBuffer()), { name: 't10k-labels-idx1-ubyte.gz' });
 * labels.dims; // [10000]
 * ```
 */
export async function decodeIdx(bytes: Uint8Array | ArrayBuffer, options: DecodeIdxOptions = {}): Promise<IdxData> {
  const input = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  if (!isGzip(input)) return parseIdx(input, options);
  const name = options.name ?? 'IDX data';
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  // Validate the header before allocating for the data: inflate only its first bytes (a header is at most
  // 4 + 4·255), then inflate the whole with the header's promise as a size hint that inflate caps and outgrows.
  const head = await inflate(input, name, maxBytes, { stopAfter: 4 + 4 * 255 });
  const { type, dims, headerLength, dataBytes } = readIdxHeader(head, name);
  if (headerLength + dataBytes > maxBytes) {
    throw new IdxFormatError(
      name,
      `at most ${maxBytes} bytes once decompressed (maxBytes)`,
      `a header promising ${describeData(type, dims, headerLength)}`,
    );
  }
  const raw = await inflate(input, name, maxBytes, { expectedSize: headerLength + dataBytes });
  // The decompressed buffer belongs to no one else, so a view into it is as good as a copy.
  return parseIdx(raw, { ...options, copy: false });
}
