import { Dense, Momentum, ReLU, Sequential, Softmax } from '@mnist/nn';
import { Random, Tensor } from '@mnist/tensor';
import { Scale } from './scale.js';

/** Options of {@link trainScaledClassifier}. */
export interface TrainOptions {
  seed: number;
  epochs: number;
}

/**
 * Trains `Scale → Dense → ReLU → Dense → Softmax` on two Gaussian blobs whose features differ in scale by 100×,
 * which is the situation a learnable input scale helps with.
 */
export async function trainScaledClassifier({ seed, epochs }: TrainOptions) {
  const rng = new Random(seed);
  const n = 200;
  const x = Tensor.zeros([n, 2]);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % 2;
    x.set((y[i] === 0 ? -1 : 1) * 0.01 + rng.normal(0, 0.004), i, 0);
    x.set(rng.normal(0, 1), i, 1);
  }
  const model = new Sequential([new Scale(2), new Dense(2, 8), new ReLU(), new Dense(8, 2), new Softmax()], { seed });
  model.compile({ loss: 'categoricalCrossEntropy', optimizer: new Momentum({ learningRate: 0.5 }) });
  const history = await model.fit(x, y, { epochs, batchSize: 20 });
  return { model, x, y, accuracy: history.epochs[history.epochs.length - 1].accuracy };
}
