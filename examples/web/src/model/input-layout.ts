import type { ImageLayout } from '@mnist/datasets';
import type { Sequential } from '@mnist/nn';
import { formatShape, type Shape, ShapeError } from '@mnist/tensor';

/** A model that loaded fine but cannot classify 28×28 images into 10 digits. */
export class IncompatibleModelError extends Error {
  override readonly name = 'IncompatibleModelError';
}

const LAYOUTS: readonly [ImageLayout, Shape][] = [
  ['flat', [-1, 784]],
  ['image', [-1, 1, 28, 28]],
];

/**
 * How a model wants its 28×28 images: `'flat'` (`[batch, 784]`, a first `Dense` layer) or `'image'`
 * (`[batch, 1, 28, 28]`, a first `Conv2D`), whichever its layers accept, checked through their output shapes so no
 * data runs.
 * @throws {@link IncompatibleModelError} when it takes neither or does not end in 10 classes
 */
export function inputLayoutOf(model: Sequential): ImageLayout {
  const rejected: string[] = [];
  for (const [layout, shape] of LAYOUTS) {
    let output: Shape;
    try {
      output = model.outputShape(shape);
    } catch (error) {
      if (!(error instanceof ShapeError)) throw error;
      rejected.push(error.message);
      continue;
    }
    if (output.length !== 2 || output[1] !== 10) {
      throw new IncompatibleModelError(
        `the page needs 10 class scores per image, but this model turns ${formatShape(shape)} into ${formatShape(output)}`,
      );
    }
    return layout;
  }
  throw new IncompatibleModelError(
    `the page gives a model 28×28 images as [batch, 784] or [batch, 1, 28, 28]; this one takes neither (${rejected.join('; ')})`,
  );
}
