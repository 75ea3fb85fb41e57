// `pnpm bench`, part 3: the time of one training step of the MNIST example's CNN (src/models.ts) at batch 64, and the share of it spent in the gemm and
// im2col/col2im kernels, measured by wrapping those kernels of the installed backend with timers.
import { CrossEntropy, Momentum, trainStep } from '@mnist/nn';
import { type Backend, getBackend, Random, randomUniform } from '@mnist/tensor';
import { machine, median } from './measure.js';
import { cnn } from './models.js';

const loss = new CrossEntropy();
const optimizer = new Momentum({ learningRate: 0.1 });
const x = randomUniform([64, 1, 28, 28], new Random(2));
const y = Uint8Array.from({ length: 64 }, (_, i) => i % 10);

const installed = getBackend();
const spent = { gemm: 0, im2col: 0 };
const timed = <K extends 'gemm' | 'gemmBatched' | 'im2col' | 'col2im'>(
  name: K,
  bucket: keyof typeof spent,
): Backend[K] =>
  ((...args: unknown[]) => {
    const start = performance.now();
    (installed[name] as (...a: unknown[]) => void)(...args);
    spent[bucket] += performance.now() - start;
  }) as Backend[K];
const timedBackend: Backend = {
  ...installed,
  name: `${installed.name} (timed)`,
  gemmBatched: timed('gemmBatched', 'gemm'),
  gemm: timed('gemm', 'gemm'),
  im2col: timed('im2col', 'im2col'),
  col2im: timed('col2im', 'im2col'),
};
// Placed on the timed backend, so every op of the model runs through its timers, in the installed backend's memory.
const model = cnn().to(timedBackend);

{
  for (let i = 0; i < 3; i++) trainStep(model, loss, optimizer, x, y); // warm-up
  const steps: number[] = [];
  const gemmShare: number[] = [];
  const im2colShare: number[] = [];
  for (let i = 0; i < 15; i++) {
    spent.gemm = 0;
    spent.im2col = 0;
    const start = performance.now();
    trainStep(model, loss, optimizer, x, y);
    const ms = performance.now() - start;
    steps.push(ms);
    gemmShare.push(spent.gemm / ms);
    im2colShare.push(spent.im2col / ms);
  }
  const step = median(steps);
  console.log(`\nCNN training step (examples/mnist --model cnn), batch 64; ${machine()}`);
  console.log(
    `median of ${steps.length} steps: ${step.toFixed(1)} ms per step (${((64 * 1000) / step).toFixed(0)} images/s, ` +
      `${((step * 55000) / 64 / 1000).toFixed(0)} s per 55 000-image epoch)`,
  );
  console.log(
    `share of the step: gemm ${(100 * median(gemmShare)).toFixed(0)}%, im2col + col2im ${(100 * median(im2colShare)).toFixed(0)}%`,
  );
}
