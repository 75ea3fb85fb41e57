import type { Backend } from '../backend.js';
import { jsBackend } from '../js/index.js';
import type { WasmRuntime } from './runtime/runtime.js';

/**
 * `gatherBytes` in WebAssembly: the chosen rows' bytes are copied into WebAssembly memory (a quarter of the floats'
 * size), then divided in SIMD; a float32 division is correctly rounded, which gives the reference's bits. A divisor
 * that is 0 as a float32 (quotients of NaN or ±∞, whose NaN bits engines are free to choose) takes the reference
 * itself. An output in the backend's memory (a batch buffer placed with the model) is written in place, so the batch
 * reaches the first layer's gemm with no copy at all; any other output is staged and copied out.
 */
export function gatherKernels(runtime: WasmRuntime): Pick<Backend, 'gatherBytes'> {
  const { STAGED_MIN_ELEMENTS } = runtime.tuning;
  return {
    gatherBytes(rows, cols, indices, bytes, divisor, out) {
      const n = rows * cols;
      const d = Math.fround(divisor);
      const frame = runtime.begin(runtime.placed(out));
      if (n < STAGED_MIN_ELEMENTS || d === 0) return jsBackend.gatherBytes(rows, cols, indices, bytes, divisor, out);
      const src = frame.scratch(0, n);
      const dst = frame.output(out, 0, n);
      if (!frame.commit()) return jsBackend.gatherBytes(rows, cols, indices, bytes, divisor, out);
      for (let i = 0; i < rows; i++) frame.copyBytesIn(src + i * cols, bytes, indices[i] * cols, cols);
      frame.exports.bytes_to_floats(n, src, d, dst);
      frame.finish();
    },
  };
}
