import { Random, randomUniform, ShapeError, Tensor } from '@mnist/tensor';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../config-error.js';
import { LayerStateError } from '../layer.js';
import { Conv2D } from './conv2d.js';

/** Conv2D(1, 1, 2) with W = [[1, 2], [3, 4]] and b = 1. */
function handLayer(useBias = true): Conv2D {
  const layer = new Conv2D(1, 1, 2, { useBias });
  layer.weight.value.data.set([1, 2, 3, 4]);
  layer.bias?.value.data.set([1]);
  return layer;
}

/** One 1-channel 3×3 image [[1, 2, 3], [4, 5, 6], [7, 8, 9]]. */
const image = () =>
  Tensor.fromArray([
    [
      [
        [1, 2, 3],
        [4, 5, 6],
        [7, 8, 9],
      ],
    ],
  ]);

describe('Conv2D forward and backward by hand', () => {
  it('slides the 2×2 window over the 3×3 image', () => {
    // y[0, 0] = 1·1 + 2·2 + 3·4 + 4·5 = 37, y[0, 1] = 1·2 + 2·3 + 3·5 + 4·6 = 47,
    // y[1, 0] = 1·4 + 2·5 + 3·7 + 4·8 = 67, y[1, 1] = 1·5 + 2·6 + 3·8 + 4·9 = 77; then + b = 1.
    expect(handLayer().forward(image()).toArray()).toEqual([
      [
        [
          [38, 48],
          [68, 78],
        ],
      ],
    ]);
    expect(handLayer(false).forward(image()).toArray()).toEqual([
      [
        [
          [37, 47],
          [67, 77],
        ],
      ],
    ]);
  });

  it('adds dy·colᵀ, Σ dy and returns col2im(Wᵀ·dy)', () => {
    const layer = handLayer();
    layer.forward(image());
    const dx = layer.backward(
      Tensor.fromArray([
        [
          [
            [1, 0],
            [0, 1],
          ],
        ],
      ]),
    );
    // dW[u, v] = x[u, v] + x[1 + u, 1 + v], the windows at (0, 0) and (1, 1)
    expect(layer.weight.grad.toArray()).toEqual([
      [
        [
          [6, 8],
          [12, 14],
        ],
      ],
    ]);
    expect(layer.bias?.grad.toArray()).toEqual([2]);
    // W placed at (0, 0) plus W placed at (1, 1)
    expect(dx.toArray()).toEqual([
      [
        [
          [1, 2, 0],
          [3, 5, 2],
          [0, 3, 4],
        ],
      ],
    ]);
  });

  it('accumulates gradients and adds λ·W with l2', () => {
    const layer = new Conv2D(1, 1, 2, { useBias: false, l2: 0.5 });
    layer.weight.value.data.set([1, 2, 3, 4]);
    layer.forward(image());
    const dy = Tensor.fromArray([
      [
        [
          [1, 0],
          [0, 1],
        ],
      ],
    ]);
    layer.backward(dy);
    expect(layer.weight.grad.toArray()).toEqual([
      [
        [
          [6.5, 9],
          [13.5, 16],
        ],
      ],
    ]);
    layer.backward(dy, { inputGradient: false });
    expect(layer.weight.grad.toArray()).toEqual([
      [
        [
          [13, 18],
          [27, 32],
        ],
      ],
    ]);
  });

  it('keeps images and channels apart', () => {
    // Two images, two input channels, two filters: filter 0 sums channel 0, filter 1 doubles channel 1 (1×1 window).
    const layer = new Conv2D(2, 2, 1);
    layer.weight.value.data.set([1, 0, 0, 2]);
    layer.bias?.value.data.set([10, 20]);
    const x = Tensor.fromArray([
      [[[1, 2]], [[3, 4]]],
      [[[5, 6]], [[7, 8]]],
    ]);
    expect(layer.forward(x).toArray()).toEqual([
      [[[11, 12]], [[26, 28]]],
      [[[15, 16]], [[34, 36]]],
    ]);
  });
});

describe('Conv2D shapes', () => {
  it.each([
    [{}, [2, 4, 7, 9]],
    [{ padding: 1 }, [2, 4, 9, 11]],
    [{ stride: 2 }, [2, 4, 4, 5]],
    [{ stride: 2, padding: 1 }, [2, 4, 5, 6]],
  ])('a 3×3 window with %o on [2, 3, 9, 11] gives %o', (options, expected) => {
    const layer = new Conv2D(3, 4, 3, options);
    expect(layer.outputShape([2, 3, 9, 11])).toEqual(expected);
    expect(layer.forward(Tensor.zeros([2, 3, 9, 11])).shape).toEqual(expected);
    expect(layer.outputShape([-1, 3, 9, 11])).toEqual([-1, ...expected.slice(1)]);
  });

  it('has a weight [outC, inC, k, k], a bias [outC], and a He fan-in of inC·k²', () => {
    const layer = new Conv2D(8, 16, 3, { seed: 1 });
    expect(layer.weight.value.shape).toEqual([16, 8, 3, 3]);
    expect(layer.bias?.value.shape).toEqual([16]);
    const w = layer.weight.value.data;
    const variance = w.reduce((s, v) => s + v * v, 0) / w.length;
    expect(variance).toBeGreaterThan(0.8 * (2 / 72));
    expect(variance).toBeLessThan(1.2 * (2 / 72));
  });
});

describe('Conv2D errors', () => {
  it('rejects bad inputs', () => {
    const layer = new Conv2D(2, 3, 3);
    expect(() => layer.forward(Tensor.zeros([2, 2, 5]))).toThrow(ShapeError);
    expect(() => layer.forward(Tensor.zeros([2, 1, 5, 5]))).toThrow(/\[batch, 2, height, width\]/);
    expect(() => layer.forward(Tensor.zeros([2, 2, 2, 5]))).toThrow(/3×3 window does not fit a 2×5 image/);
  });

  it('rejects dy of the wrong shape, and backward before forward', () => {
    const layer = new Conv2D(1, 2, 2);
    expect(() => layer.backward(Tensor.zeros([1, 2, 2, 2]))).toThrow(LayerStateError);
    layer.forward(Tensor.zeros([1, 1, 3, 3]));
    expect(() => layer.backward(Tensor.zeros([1, 2, 3, 3]))).toThrow(/dy must be \[1, 2, 2, 2\]/);
  });

  it('rejects bad constructor arguments', () => {
    expect(() => new Conv2D(0, 1, 1)).toThrow(RangeError);
    expect(() => new Conv2D(1, 1, 1.5)).toThrow(/kernelSize/);
    expect(() => new Conv2D(1, 1, 1, { stride: 0 })).toThrow(/stride/);
    expect(() => new Conv2D(1, 1, 1, { padding: -1 })).toThrow(/padding/);
    expect(() => new Conv2D(1, 1, 1, { l2: -1 })).toThrow(/l2/);
    expect(() => new Conv2D(1, 1, 1, { initializer: 'bad' as never })).toThrow(/initializer/);
  });
});

describe('Conv2D config', () => {
  it('round-trips through fromConfig', () => {
    const layer = new Conv2D(2, 3, 5, { stride: 2, padding: 1, initializer: 'glorot', useBias: false, l2: 0.01 });
    const config = layer.config();
    expect(config).toEqual({
      inChannels: 2,
      outChannels: 3,
      kernelSize: 5,
      stride: 2,
      padding: 1,
      initializer: 'glorot',
      useBias: false,
      l2: 0.01,
    });
    expect(Conv2D.fromConfig(config).config()).toEqual(config);
  });

  it('rejects bad fields and too many weights', () => {
    const valid = {
      inChannels: 2,
      outChannels: 3,
      kernelSize: 3,
      stride: 1,
      padding: 0,
      initializer: 'he',
      useBias: true,
      l2: 0,
    };
    expect(() => Conv2D.fromConfig({ ...valid, kernelSize: 0 })).toThrow(ConfigError);
    expect(() => Conv2D.fromConfig({ ...valid, padding: -1 })).toThrow(ConfigError);
    expect(() => Conv2D.fromConfig({ ...valid, stride: 'one' })).toThrow(ConfigError);
    expect(() => Conv2D.fromConfig({ ...valid, inChannels: 2 ** 20, outChannels: 2 ** 20 })).toThrow(
      /at most 67108864 weights/,
    );
  });
});

describe('Conv2D inference on large batches', () => {
  it('unfolds a few images at a time with the training pass’s result, bit for bit, and backward still works', () => {
    const rng = new Random(9);
    const layer = new Conv2D(2, 3, 3, { padding: 1, seed: 4 });
    const x = randomUniform([150, 2, 6, 6], rng); // more than one chunk of images, the last one partial
    const training = layer.forward(x, { training: true }).data.slice();
    const dy = randomUniform([150, 3, 6, 6], rng);
    const dxTraining = layer.backward(dy).data.slice();
    const gradTraining = layer.weight.grad.data.slice();
    layer.weight.grad.data.fill(0);
    if (layer.bias) layer.bias.grad.data.fill(0);
    const inference = layer.forward(x).data.slice();
    expect(Array.from(inference)).toEqual(Array.from(training));
    // No columns were kept: backward unfolds them again, with the same gradients.
    expect(Array.from(layer.backward(dy).data)).toEqual(Array.from(dxTraining));
    expect(Array.from(layer.weight.grad.data)).toEqual(Array.from(gradTraining));
  });
});
