import { BatchNorm, Conv2D, Dense, Dropout, Flatten, MaxPool2D, ReLU, Sequential, Softmax } from '@mnist/nn';

/** The two networks the page trains, by the name the settings form uses. */
export type Architecture = 'mlp' | 'cnn';

/**
 * The classic classifier of `pnpm mnist`: 784 → 128 ReLU → 64 ReLU → 10 softmax, He initialisation (Glorot for the
 * output layer). Rebuilt here because nothing may depend on another example.
 */
export function mlp(seed?: number): Sequential {
  return new Sequential(
    [
      new Dense(784, 128),
      new ReLU(),
      new Dense(128, 64),
      new ReLU(),
      new Dense(64, 10, { initializer: 'glorot' }),
      new Softmax(),
    ],
    seed === undefined ? {} : { seed },
  );
}

/**
 * The convolutional network of `pnpm mnist --model cnn`:
 *
 * ```
 * [batch, 1, 28, 28]
 *   Conv2D 1→16, 5×5, pad 2 → BatchNorm → ReLU → MaxPool 2×2    [batch, 16, 14, 14]
 *   Conv2D 16→32, 5×5, pad 2 → BatchNorm → ReLU → MaxPool 2×2   [batch, 32, 7, 7]
 *   Flatten → Dense 1568→128 → ReLU → Dropout 0.3 → Dense 128→10 → Softmax
 * ```
 */
export function cnn(seed?: number): Sequential {
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
    seed === undefined ? {} : { seed },
  );
}

/** Builds the named network, its weights drawn from `seed`, or left at zero without one (to be filled in). */
export function buildArchitecture(architecture: Architecture, seed?: number): Sequential {
  return architecture === 'cnn' ? cnn(seed) : mlp(seed);
}
