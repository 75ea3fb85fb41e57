import type { ImageLayout } from '@mnist/datasets';
import type { Sequential } from '@mnist/nn';
import { type Shape, ShapeError } from '@mnist/tensor';
import { CliError } from './cli-error.js';

/** The two ways a model can take MNIST images, tried in this order. */
const LAYOUTS: readonly (readonly [ImageLayout, Shape])[] = [
  ['flat', [-1, 784]],
  ['image', [-1, 1, 28, 28]],
];

/**
 * How `model` takes MNIST images (`flat`: 784 values, as the MLP; `image`: 1×28×28, as the CNN), after checking that it
 * turns them into 10 values, one per digit. Checked from the layers' shapes before anything is predicted, so a model
 * made for another task is refused with its reason instead of yielding meaningless digits.
 *
 * @param path - the model's file, for the message
 * @throws {@link CliError} naming `--model` and the file when the model takes neither layout or does not output 10 values
 */
export function modelInputLayout(model: Sequential, path: string): ImageLayout {
  let refusal: string | undefined;
  for (const [layout, input] of LAYOUTS) {
    let output: Shape;
    try {
      output = model.outputShape(input);
    } catch (error) {
      if (!(error instanceof ShapeError)) throw error;
      refusal ??= error.message;
      continue;
    }
    if (output.length !== 2 || output[1] !== 10) {
      const values = output.slice(1).join('×') || '1';
      throw new CliError(
        `--model: ${path} outputs ${values} values per image; an MNIST classifier outputs 10 digit probabilities`,
      );
    }
    return layout;
  }
  throw new CliError(`--model: ${path} does not take MNIST images (784 values or 1×28×28): ${refusal}`);
}
