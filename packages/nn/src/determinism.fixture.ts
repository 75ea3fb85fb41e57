// Trains a small seeded model and fingerprints its weights. The determinism test runs this same module in Node.js
// and, bundled, in headless Chromium: the fingerprints must be equal bit for bit.
import { createWasmBackend, Random, setBackend, Tensor } from '@mnist/tensor';
import { Dense } from './layers/dense.js';
import { ReLU } from './layers/relu.js';
import { Softmax } from './layers/softmax.js';
import { Momentum } from './optimizers/momentum.js';
import { Sequential } from './sequential.js';

/**
 * Makes the ops run on a one-thread `wasm-simd` backend with fused multiply-adds (relaxed SIMD) or without, so that
 * Chromium computes with the arithmetic the Node.js side of the test has.
 */
export function useWasmArithmetic(relaxedSimd: boolean): void {
  setBackend(createWasmBackend({ threads: 1, relaxedSimd }));
}

/** FNV-1a over the bytes of every parameter, as 8 hex digits, after `epochs` of seeded training. */
export async function trainedWeightsDigest(seed: number, epochs = 3): Promise<string> {
  const rng = new Random(seed);
  const x = Tensor.zeros([256, 20]);
  rng.fillNormal(x.data);
  const y = Uint8Array.from({ length: 256 }, (_, i) => (x.data[i * 20] > 0 ? 1 : 0) + (x.data[i * 20 + 1] > 0 ? 2 : 0));
  const model = new Sequential([new Dense(20, 32), new ReLU(), new Dense(32, 4), new Softmax()], { seed });
  model.compile({ loss: 'categoricalCrossEntropy', optimizer: new Momentum({ learningRate: 0.2, nesterov: true }) });
  await model.fit(x, y, { epochs, batchSize: 32 });
  let hash = 0x811c9dc5;
  for (const p of model.params()) {
    const bytes = new Uint8Array(p.value.data.buffer, p.value.data.byteOffset, p.value.data.byteLength);
    for (const b of bytes) hash = Math.imul(hash ^ b, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}
