// Base64 (RFC 4648, with padding) for the float32 weights in a model file. Written here because the package runs in
// browsers, where Node's Buffer does not exist, and btoa/atob need binary strings as large as the data.
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DECODE = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;
const ALPHABET_CODES = Uint8Array.from(ALPHABET, (c) => c.charCodeAt(0));
const PAD = '='.charCodeAt(0);
const ASCII = new TextDecoder();

/** The base64 length of `bytes` bytes. */
export function encodedLength(bytes: number): number {
  return Math.ceil(bytes / 3) * 4;
}

/** The number of bytes base64 text of this length and padding would decode to, for messages about a wrong length. */
export function decodedLength(text: string): number {
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  return Math.max(0, Math.floor((text.length * 3) / 4) - padding);
}

/** The little-endian bytes of float32 values, the byte order of a model file whatever the platform's. */
export function float32Bytes(values: Float32Array): Uint8Array {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i], true);
  return bytes;
}

/** Float32 values from their little-endian bytes (a multiple of 4 of them). */
export function float32FromBytes(bytes: Uint8Array): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const values = new Float32Array(bytes.length >> 2);
  for (let i = 0; i < values.length; i++) values[i] = view.getFloat32(i * 4, true);
  return values;
}

/**
 * Bytes as base64 text. The characters go into a byte array first and become one string at the end: building the
 * text by concatenation made a rope of small string pieces, about 30 bytes of heap per input byte until it was
 * flattened (12 MiB for the default MLP's 437 kB of weights, which made saving the peak of `pnpm mnist`'s memory).
 */
export function encodeBase64(bytes: Uint8Array): string {
  const codes = new Uint8Array(encodedLength(bytes.length));
  const whole = bytes.length - (bytes.length % 3);
  let o = 0;
  for (let i = 0; i < whole; i += 3) {
    const triple = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    codes[o++] = ALPHABET_CODES[triple >> 18];
    codes[o++] = ALPHABET_CODES[(triple >> 12) & 63];
    codes[o++] = ALPHABET_CODES[(triple >> 6) & 63];
    codes[o++] = ALPHABET_CODES[triple & 63];
  }
  const rest = bytes.length - whole;
  if (rest > 0) {
    // One or two bytes left: two or three characters of them, then '=' for each byte missing from the group.
    const triple = (bytes[whole] << 16) | (rest === 2 ? bytes[whole + 1] << 8 : 0);
    codes[o++] = ALPHABET_CODES[triple >> 18];
    codes[o++] = ALPHABET_CODES[(triple >> 12) & 63];
    codes[o++] = rest === 2 ? ALPHABET_CODES[(triple >> 6) & 63] : PAD;
    codes[o++] = PAD;
  }
  // ASCII is valid UTF-8, so the decoder copies the codes one to one into a one-byte string.
  return ASCII.decode(codes);
}

/**
 * Decodes base64 text of exactly `length` bytes. Returns `undefined` for text that is not the canonical encoding of
 * that many bytes: a wrong length, a character outside the alphabet, misplaced padding, or set bits in the unused low
 * bits of the last character before the padding. Canonical text has one spelling per byte string, so any changed
 * character changes the bytes (and a checksum of them catches it).
 */
export function decodeBase64(text: string, length: number): Uint8Array | undefined {
  if (text.length !== encodedLength(length)) return undefined;
  const bytes = new Uint8Array(length);
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    const q0 = sextet(text, i);
    const q1 = sextet(text, i + 1);
    const q2 = sextet(text, i + 2);
    const q3 = sextet(text, i + 3);
    const padding = (text[i + 2] === '=' ? 1 : 0) + (text[i + 3] === '=' ? 1 : 0);
    if (q0 < 0 || q1 < 0 || (padding > 0 && i + 4 !== text.length)) return undefined;
    if (padding === 0 && (q2 < 0 || q3 < 0)) return undefined;
    // "x=" padding: the third character must be a letter; "==": both padded. Unused low bits must be zero.
    if (padding === 1 && (q2 < 0 || text[i + 3] !== '=' || (q2 & 3) !== 0)) return undefined;
    if (padding === 2 && (q1 & 15) !== 0) return undefined;
    const triple = (q0 << 18) | (q1 << 12) | (Math.max(q2, 0) << 6) | Math.max(q3, 0);
    bytes[o++] = (triple >> 16) & 255;
    if (padding < 2) bytes[o++] = (triple >> 8) & 255;
    if (padding < 1) bytes[o++] = triple & 255;
  }
  return o === length ? bytes : undefined;
}

function sextet(text: string, i: number): number {
  const code = text.charCodeAt(i);
  return code < 128 ? DECODE[code] : -1;
}

/** Float32 values as base64 of their little-endian bytes. */
export function encodeFloat32(values: Float32Array): string {
  return encodeBase64(float32Bytes(values));
}

/**
 * Decodes base64 of little-endian float32 values. Returns `undefined` for text that is not canonical base64 of
 * exactly `count` values, so the caller can report where.
 */
export function decodeFloat32(text: string, count: number): Float32Array | undefined {
  const bytes = decodeBase64(text, count * 4);
  return bytes && float32FromBytes(bytes);
}
