/** `PIXEL_VALUES[b]` is `b / 255` as a float32: a lookup is faster than a division and gives the same value. */
const PIXEL_VALUES = (() => {
  const table = new Float32Array(256);
  for (let b = 0; b < 256; b++) table[b] = b / 255;
  return table;
})();

/**
 * Converts pixel bytes to floats in `[0, 1]`: `out[i] = bytes[i] / 255`.
 *
 * @param bytes - pixel values 0…255
 * @param out - where to write, at least `bytes.length` long; allocated when omitted
 * @returns `out`
 * @throws RangeError when `out` is too short
 * @example
 * ```ts
 * normalizePixels(Uint8Array.of(0, 51, 255)); // Float32Array [0, 0.2, 1]
 * ```
 */
export function normalizePixels(bytes: Uint8Array, out: Float32Array = new Float32Array(bytes.length)): Float32Array {
  if (out.length < bytes.length) {
    throw new RangeError(`normalizePixels: out must hold ${bytes.length} values, found ${out.length}`);
  }
  for (let i = 0; i < bytes.length; i++) out[i] = PIXEL_VALUES[bytes[i]];
  return out;
}
