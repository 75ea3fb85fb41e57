import { BatchNorm, Conv2D, Dense, Dropout, Flatten, MaxPool2D, ReLU, Sequential, Softmax } from '@mnist/nn';

/**
 * The example's convolutional network, sized for a CPU:
 *
 * ```
 * [batch, 1, 28, 28]
 *   Conv2D 1→16, 5×5, pad 2 → BatchNorm → ReLU → MaxPool 2×2    [batch, 16, 14, 14]
 *   Conv2D 16→32, 5×5, pad 2 → BatchNorm → ReLU → MaxPool 2×2   [batch, 32, 7, 7]
 *   Flatten → Dense 1568→128 → ReLU → Dropout 0.3 → Dense 128→10 → Softmax
 * ```
 *
 * Two 5×5 convolutions with pooling see the whole digit (a 16×16 receptive field on the 7×7 grid), batch
 * normalisation lets a high learning rate work from the first step, and dropout on the dense layer is the main guard
 * against over-fitting. About 6 MFLOP per image forward, a third of it the second convolution. With `l2 > 0`, every
 * weight of the convolutions and dense layers is penalised by `(l2/2)·‖W‖²`.
 */
export function cnn(seed: number, l2 = 0): Sequential {
  return new Sequential(
    [
      new Conv2D(1, 16, 5, { padding: 2, l2 }),
      new BatchNorm(16),
      new ReLU(),
      new MaxPool2D(2),
      new Conv2D(16, 32, 5, { padding: 2, l2 }),
      new BatchNorm(32),
      new ReLU(),
      new MaxPool2D(2),
      new Flatten(),
      new Dense(32 * 7 * 7, 128, { l2 }),
      new ReLU(),
      new Dropout(0.3),
      new Dense(128, 10, { initializer: 'glorot', l2 }),
      new Softmax(),
    ],
    { seed },
  );
}
