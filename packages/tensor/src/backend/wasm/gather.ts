import type { Backend } from '../backend.js';
import { byteQuotients } from '../js/gather-bytes.js';
import { jsBackend } from '../js/index.js';
import type { ResidentMemory } from './elementwise.js';
import type { KernelInstance } from './kernels.js';
import { MIN_ELEMENTS, Staging } from './staging.js';

/**
 * `gatherBytes` in WebAssembly: the chosen rows' bytes are copied into WebAssembly memory (a quarter of the floats'
 * size) with the 256 quotients `b / divisor` of the reference, then mapped through them. A resident output (a batch
 * buffer made with `Tensor.resident`) is written in place, so the batch reaches the first layer's gemm with no copy at
 * all; any other output is written in the plain memory and copied out.
 */
export function gatherKernels(
  kernels: KernelInstance,
  base: number,
  resident?: ResidentMemory,
): Pick<Backend, 'gatherBytes'> {
  const local = new Staging(kernels, base);
  const shared = resident ? new Staging(resident.kernels, 0) : undefined;
  return {
    gatherBytes(rows, cols, indices, bytes, divisor, out) {
      const n = rows * cols;
      const inPlace = resident?.arena.holds(out) === true;
      const staging = inPlace ? (shared as Staging).reset((resident as ResidentMemory).arena.end) : local.reset();
      const table = staging.reserve(256);
      const src = staging.reserve(0, n);
      const dst = inPlace ? out.byteOffset : staging.reserve(n);
      if (n < MIN_ELEMENTS || !staging.commit()) {
        jsBackend.gatherBytes(rows, cols, indices, bytes, divisor, out);
        return;
      }
      staging.copyIn(table, byteQuotients(divisor), 0, 256);
      for (let i = 0; i < rows; i++) staging.copyBytesIn(src + i * cols, bytes, indices[i] * cols, cols);
      staging.kernels.exports.bytes_to_floats(n, src, table, dst);
      if (!inPlace) staging.copyOut(dst, out, 0, n);
    },
  };
}
