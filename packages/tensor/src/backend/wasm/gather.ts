import type { Backend } from '../backend.js';
import { byteQuotients } from '../js/gather-bytes.js';
import { jsBackend } from '../js/index.js';
import type { WasmRuntime } from './runtime/runtime.js';

/**
 * `gatherBytes` in WebAssembly: the chosen rows' bytes are copied into WebAssembly memory (a quarter of the floats'
 * size) with the 256 quotients `b / divisor` of the reference, then mapped through them, which gives the reference's
 * bits. An output in the backend's memory (a batch buffer placed with the model) is written in place, so the batch
 * reaches the first layer's gemm with no copy at all; any other output is staged and copied out.
 */
export function gatherKernels(runtime: WasmRuntime): Pick<Backend, 'gatherBytes'> {
  const { STAGED_MIN_ELEMENTS } = runtime.tuning;
  return {
    gatherBytes(rows, cols, indices, bytes, divisor, out) {
      const n = rows * cols;
      const frame = runtime.begin(runtime.placed(out));
      if (n < STAGED_MIN_ELEMENTS) return jsBackend.gatherBytes(rows, cols, indices, bytes, divisor, out);
      const table = frame.input(byteQuotients(divisor), 0, 256);
      const src = frame.scratch(0, n);
      const dst = frame.output(out, 0, n);
      if (!frame.commit()) return jsBackend.gatherBytes(rows, cols, indices, bytes, divisor, out);
      for (let i = 0; i < rows; i++) frame.copyBytesIn(src + i * cols, bytes, indices[i] * cols, cols);
      frame.exports.bytes_to_floats(n, src, table, dst);
      frame.finish();
    },
  };
}
