import { inflate } from './gunzip.js';
import { IdxFormatError } from './idx-format-error.js';
import { describeData, describeTotal, MAX_IDX_HEADER_BYTES, readIdxHeader } from './parse-idx.js';

/**
 * Decompresses a gzipped IDX file no further than its header promises, so that a gzip bomb behind a valid header
 * costs no more memory than an honest file with that header. The header is inflated and validated first, and a
 * promise over `maxBytes` is refused before any data is inflated; then the output is capped at the header plus the
 * promised data. Output going further is refused as soon as it appears, as trailing bytes in a raw file are
 * (`parseIdx`); shorter output is returned as it is, for `parseIdx` to report. @internal
 *
 * @throws {@link IdxFormatError} for invalid gzip, an invalid header, a promise over `maxBytes` or output past it
 */
export async function gunzipIdx(bytes: Uint8Array, name: string, maxBytes: number): Promise<Uint8Array> {
  const head = await inflate(bytes, name, { kind: 'prefix', bytes: MAX_IDX_HEADER_BYTES });
  const header = readIdxHeader(head, name);
  const total = header.headerLength + header.dataBytes;
  if (total > maxBytes) {
    throw new IdxFormatError(
      name,
      `at most ${maxBytes} bytes once decompressed (maxBytes)`,
      `a header promising ${describeData(header.type, header.dims, header.headerLength)}`,
    );
  }
  const overflow = () => new IdxFormatError(name, describeTotal(header), `more than ${total} bytes once decompressed`);
  return inflate(bytes, name, { kind: 'cap', bytes: total, overflow, expectedSize: total });
}
