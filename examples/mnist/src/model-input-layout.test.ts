import { Dense, Flatten, ReLU, Sequential, Softmax } from '@mnist/nn';
import { describe, expect, it } from 'vitest';
import { CliError } from './cli-error.js';
import { cnn } from './cnn.js';
import { mlp } from './mlp.js';
import { modelInputLayout } from './model-input-layout.js';

function refusal(model: Sequential): string {
  try {
    modelInputLayout(model, '/m.json');
  } catch (error) {
    expect(error).toBeInstanceOf(CliError);
    return (error as CliError).message;
  }
  throw new Error('expected the model to be refused');
}

describe('modelInputLayout', () => {
  it('feeds the MLP 784 values and the CNN images of 1×28×28', () => {
    expect(modelInputLayout(mlp(1), '/m.json')).toBe('flat');
    expect(modelInputLayout(cnn(1), '/m.json')).toBe('image');
  });

  it('refuses a model that does not output 10 classes', () => {
    expect(refusal(new Sequential([new Dense(784, 5), new Softmax()]))).toBe(
      '--model: /m.json outputs 5 values per image; an MNIST classifier outputs 10 digit probabilities',
    );
    // Takes anything and returns it as it is: 784 values out.
    expect(refusal(new Sequential([new Flatten(), new ReLU()]))).toMatch(/outputs 784 values per image/);
  });

  it('refuses a model whose input is neither 784 values nor 1×28×28, with the layer’s reason', () => {
    expect(refusal(new Sequential([new Dense(100, 10), new Softmax()]))).toBe(
      '--model: /m.json does not take MNIST images (784 values or 1×28×28): Dense: expects input [batch, 100], found [-1, 784]',
    );
  });
});
