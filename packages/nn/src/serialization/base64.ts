// Base64 (RFC 4648, with padding) for the float32 weights in a model file. Written here because the package runs in
// browsers, where Node's Buffer does not exist, and btoa/atob need binary strings as large as the data.
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DECODE = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;

/** The base64 length of `bytes` bytes. */
export function encodedLength(bytes: number): number {
  return Math.ceil(bytes / 3) * 4;
}

/** Float32 values as base64 of their little-endian bytes. */
export function encodeFloat32(values: Float32Array): string {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i], true);
  const parts: string[] = [];
  let chunk = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i];
    const b = i + 1 < bytes.length ? bytes[i + 1] : 0;
    const c = i + 2 < bytes.length ? bytes[i + 2] : 0;
    chunk +=
      ALPHABET[a >> 2] +
      ALPHABET[((a & 3) << 4) | (b >> 4)] +
      (i + 1 < bytes.length ? ALPHABET[((b & 15) << 2) | (c >> 6)] : '=') +
      (i + 2 < bytes.length ? ALPHABET[c & 63] : '=');
    if (chunk.length >= 8192) {
      parts.push(chunk);
      chunk = '';
    }
  }
  parts.push(chunk);
  return parts.join('');
}

/**
 * Decodes base64 of little-endian float32 values. Returns `undefined` for text that is not canonical base64 of
 * exactly `count` values, so the caller can report where.
 */
export function decodeFloat32(text: string, count: number): Float32Array | undefined {
  if (text.length !== encodedLength(count * 4)) return undefined;
  const bytes = new Uint8Array(count * 4);
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    const q = [0, 1, 2, 3].map((k) => {
      const code = text.charCodeAt(i + k);
      return code < 128 ? DECODE[code] : -1;
    });
    const padding = (text[i + 2] === '=' ? 1 : 0) + (text[i + 3] === '=' ? 1 : 0);
    const last = i + 4 === text.length;
    if (q[0] < 0 || q[1] < 0 || (padding === 0 && (q[2] < 0 || q[3] < 0)) || (padding > 0 && !last)) return undefined;
    if (padding === 1 && (q[2] < 0 || text[i + 3] !== '=')) return undefined;
    const triple = (q[0] << 18) | (q[1] << 12) | (Math.max(q[2], 0) << 6) | Math.max(q[3], 0);
    for (const [shift, index] of [
      [16, 0],
      [8, 1],
      [0, 2],
    ] as const) {
      if (index < 3 - padding && o < bytes.length) bytes[o++] = (triple >> shift) & 255;
    }
  }
  if (o !== bytes.length) return undefined;
  const view = new DataView(bytes.buffer);
  const values = new Float32Array(count);
  for (let i = 0; i < count; i++) values[i] = view.getFloat32(i * 4, true);
  return values;
}
