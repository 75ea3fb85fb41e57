import type { Shape } from '@mnist/tensor';
import { describe, expect, it } from 'vitest';
import {
  BatchNorm,
  Conv2D,
  Dense,
  Flatten,
  type Layer,
  MaxPool2D,
  ModelFormatError,
  ReLU,
  Sequential,
  Softmax,
} from '../index.js';
import { checkChain } from './check-chain.js';

function failure(layers: Layer[]): ModelFormatError {
  try {
    checkChain(layers, '$.layers');
  } catch (error) {
    if (error instanceof ModelFormatError) return error;
    throw error;
  }
  throw new Error('expected the check to fail');
}

/** A layer of the given output shape function, with no declared input size. */
function custom(outputShape: (shape: Shape) => unknown): Layer {
  const layer = new ReLU();
  Object.assign(layer, { type: 'acme/Custom', outputShape });
  return layer;
}

describe('checkChain', () => {
  it('follows the shapes from the first layer that declares its input size, and returns the last one', () => {
    expect(checkChain([new Dense(4, 8), new ReLU(), new BatchNorm(8), new Dense(8, 3), new Softmax()], '$')).toEqual([
      -1, 3,
    ]);
  });

  it('rejects a Dense whose inputSize is not what the layers before it output, naming both', () => {
    const error = failure([new Dense(4, 8), new ReLU(), new Dense(6, 3)]);
    expect(error.path).toBe('$.layers[2]');
    expect(error.detail).toBe(
      'Dense takes 6 input features (inputSize), but the layers before it output 8, [batch, 8]',
    );
  });

  it('rejects any other layer that cannot take the shape before it, with the layer’s own reason', () => {
    const error = failure([new Dense(4, 8), new BatchNorm(6)]);
    expect(error.path).toBe('$.layers[1]');
    expect(error.detail).toBe(
      'BatchNorm does not take [batch, 8], the output of the layers before it (BatchNorm: expects input [batch, 6] or [batch, 6, height, width], found [-1, 8])',
    );
    expect(failure([new Dense(4, 8), new Conv2D(1, 2, 3)]).path).toBe('$.layers[1]');
  });

  it('checks inside nested Sequentials, with their JSON path', () => {
    const nested = new Sequential([new Dense(8, 4), new Sequential([new ReLU(), new Dense(5, 2)])]);
    const error = failure([new Dense(3, 8), nested]);
    expect(error.path).toBe('$.layers[1].config.layers[1].config.layers[1]');
    expect(checkChain([new Dense(3, 8), new Sequential([]), new Dense(8, 1)], '$')).toEqual([-1, 1]);
  });

  it('cannot check image layers before the first declared input size: the image size is not in the file', () => {
    // Conv2D takes images of any height and width, so Flatten's output size is unknown until data arrives.
    const cnn = [new Conv2D(1, 2, 3), new MaxPool2D(2), new Flatten(), new Dense(7, 3), new Dense(3, 2)];
    expect(checkChain(cnn, '$')).toEqual([-1, 2]);
    expect(failure([...cnn, new Dense(3, 2)]).path).toBe('$.layers[5]');
  });

  it('treats a custom layer as its outputShape says: a throw rejects, a non-shape ends the check', () => {
    const throwing = custom(() => {
      throw new Error('too narrow');
    });
    expect(failure([new Dense(2, 3), throwing]).detail).toBe(
      'acme/Custom does not take [batch, 3], the output of the layers before it (too narrow)',
    );
    expect(checkChain([new Dense(2, 3), custom(() => 'any'), new Dense(9, 1)], '$')).toEqual([-1, 1]);
    expect(checkChain([new Dense(2, 3), custom(() => [-1, 9]), new Dense(9, 1)], '$')).toEqual([-1, 1]);
  });
});
