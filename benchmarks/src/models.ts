// The two networks the benchmarks train, built here once: the MNIST example's MLP and CNN (examples/mnist/src/mlp.ts
// and cnn.ts, rebuilt because nothing may depend on an example). Both seeded, so every benchmark starts from the same
// weights.
import { BatchNorm, Conv2D, Dense, Dropout, Flatten, MaxPool2D, ReLU, Sequential, Softmax } from '@mnist/nn';

/** 784 → 128 ReLU → 64 ReLU → 10 softmax. */
export function mlp(): Sequential {
  return new Sequential(
    [new Dense(784, 128), new ReLU(), new Dense(128, 64), new ReLU(), new Dense(64, 10), new Softmax()],
    { seed: 1 },
  );
}

/** Two 5×5 convolutions with batch norm and pooling, then 1568 → 128 → 10 (`examples/mnist --model cnn`). */
export function cnn(): Sequential {
  return new Sequential(
    [
      new Conv2D(1, 16, 5, { padding: 2 }),
      new BatchNorm(16),
      new ReLU(),
      new MaxPool2D(2),
      new Conv2D(16, 32, 5, { padding: 2 }),
      new BatchNorm(32),
      new ReLU(),
      new MaxPool2D(2),
      new Flatten(),
      new Dense(32 * 7 * 7, 128),
      new ReLU(),
      new Dropout(0.3),
      new Dense(128, 10, { initializer: 'glorot' }),
      new Softmax(),
    ],
    { seed: 1 },
  );
}
