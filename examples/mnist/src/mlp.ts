import { Dense, type Initializer, ReLU, Sequential, Softmax } from '@mnist/nn';

/** The classic classifier: 784 → 128 ReLU → 64 ReLU → 10 softmax. */
export function mlp(seed: number, initializer: Initializer = 'he'): Sequential {
  return new Sequential(
    [
      new Dense(784, 128, { initializer }),
      new ReLU(),
      new Dense(128, 64, { initializer }),
      new ReLU(),
      new Dense(64, 10, { initializer: initializer === 'he' ? 'glorot' : initializer }),
      new Softmax(),
    ],
    { seed },
  );
}
