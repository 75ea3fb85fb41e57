// CRC-32 as zlib, gzip and PNG compute it (the reflected IEEE 802.3 polynomial 0xEDB88320, initial value and final
// XOR 0xFFFFFFFF; "CRC-32/ISO-HDLC" in Greg Cook's catalogue of parametrised CRCs). Written here because model files
// are read in browsers too, where node:zlib does not exist and crypto.subtle is asynchronous.
const TABLE = new Uint32Array(256);
for (let n = 0; n < 256; n++) {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  TABLE[n] = c;
}

/**
 * The CRC-32 of `bytes`, as eight lowercase hexadecimal digits (`crc32` of the ASCII text `123456789` is
 * `cbf43926`). A CRC detects every error burst of at most 32 bits, so any one changed base64 character (6 bits, within
 * two adjacent bytes) is always caught. It guards against corruption, not tampering: anyone can recompute it.
 * @internal
 */
export function crc32(bytes: Uint8Array): string {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return ((c ^ 0xffffffff) >>> 0).toString(16).padStart(8, '0');
}
