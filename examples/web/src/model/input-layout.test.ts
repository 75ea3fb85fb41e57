import { Dense, Sequential, Softmax } from '@mnist/nn';
import { describe, expect, it } from 'vitest';
import { cnn, mlp } from './architectures.js';
import { IncompatibleModelError, inputLayoutOf } from './input-layout.js';

describe('inputLayoutOf', () => {
  it('gives the MLP flat rows and the CNN images', () => {
    expect(inputLayoutOf(mlp(1))).toBe('flat');
    expect(inputLayoutOf(cnn(1))).toBe('image');
  });

  it('rejects a model that takes neither, naming what it takes', () => {
    const small = new Sequential([new Dense(4, 3)]);
    expect(() => inputLayoutOf(small)).toThrow(IncompatibleModelError);
    expect(() => inputLayoutOf(small)).toThrow(/takes neither \(Dense: expects input \[batch, 4\], found \[-1, 784\]/);
  });

  it('rejects a model with another number of classes', () => {
    const five = new Sequential([new Dense(784, 5), new Softmax()]);
    expect(() => inputLayoutOf(five)).toThrow('10 class scores per image, but this model turns [-1, 784] into [-1, 5]');
  });
});
