// ONNX Runtime's WebAssembly build, run in Node from its own files in node_modules: the reference our exports and
// imports are checked against. One thread: the tests' models are small and workers only add start-up time.
import type { Tensor } from '@mnist/tensor';
import * as ort from 'onnxruntime-web';

ort.env.wasm.numThreads = 1;

/** Runs `bytes` in ONNX Runtime on `x` and returns the output's values and shape. */
export async function runOnnxRuntime(
  bytes: Uint8Array,
  x: Tensor,
  names: { input?: string; output?: string } = {},
): Promise<{ data: Float32Array; shape: number[] }> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    const input = new ort.Tensor('float32', x.data, [...x.shape]);
    const outputs = await session.run({ [names.input ?? 'input']: input });
    const y = outputs[names.output ?? 'output'];
    return { data: y.data as Float32Array, shape: [...y.dims] };
  } finally {
    await session.release();
  }
}
