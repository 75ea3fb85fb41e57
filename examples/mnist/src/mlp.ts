import { Dense, Dropout, type Initializer, type Layer, ReLU, Sequential, Softmax } from '@mnist/nn';

/**
 * The classic classifier: 784 → 128 ReLU → 64 ReLU → 10 softmax. With `dropout > 0`, a `Dropout` of that rate follows
 * each hidden ReLU (Srivastava et al., 2014), for training longer with augmentation without over-fitting; with
 * `l2 > 0`, every weight matrix is penalised by `(l2/2)·‖W‖²`.
 */
export function mlp(seed: number, initializer: Initializer = 'he', dropout = 0, l2 = 0): Sequential {
  const drop = (): Layer[] => (dropout > 0 ? [new Dropout(dropout)] : []);
  return new Sequential(
    [
      new Dense(784, 128, { initializer, l2 }),
      new ReLU(),
      ...drop(),
      new Dense(128, 64, { initializer, l2 }),
      new ReLU(),
      ...drop(),
      new Dense(64, 10, { initializer: initializer === 'he' ? 'glorot' : initializer, l2 }),
      new Softmax(),
    ],
    { seed },
  );
}
