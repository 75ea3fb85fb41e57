import { formatShape, type Shape } from '@mnist/tensor';
import type { Layer } from '../layer.js';
import { Sequential } from '../sequential.js';
import { describeThrown } from './describe-value.js';
import { ModelFormatError } from './model-format-error.js';

/**
 * Checks that each layer takes what the layers before it give, following shapes (batch `-1`) through
 * `Layer.outputShape`, into nested `Sequential`s too. A file records no input shape, so the walk starts at the first
 * layer that declares its input size, such as a `Dense` (`inputSize`, read as `[batch, inputSize]`); layers before
 * it (a `Conv2D` takes images of any height and width) leave the shape unknown and are not checked. Layers whose
 * input size is not fixed, such as activations, pass shapes through. A layer that cannot take the shape it is given
 * is an error at its JSON path; a layer whose `outputShape` returns something that is not a shape ends the walk.
 * Returns the shape after the last layer, or `undefined` when it is unknown. @internal
 *
 * @param layers - the layers, in order
 * @param path - the JSON path of their array, such as `$.layers`
 * @param input - the shape entering the first layer, when known
 * @throws {@link ModelFormatError} naming the first layer that does not take the shape before it, and both sizes
 */
export function checkChain(layers: readonly Layer[], path: string, input?: Shape): Shape | undefined {
  let shape = input;
  for (const [i, layer] of layers.entries()) {
    const at = `${path}[${i}]`;
    if (layer instanceof Sequential) {
      shape = checkChain(layer.layers, `${at}.config.layers`, shape);
    } else if (shape !== undefined) {
      shape = outputOf(layer, shape, at);
    } else {
      const declared = declaredInputShape(layer);
      shape = declared && startingShape(layer, declared);
    }
  }
  return shape;
}

/** The shape after `layer` for `input`, which the layers before it produce. */
function outputOf(layer: Layer, input: Shape, path: string): Shape | undefined {
  try {
    return tryShape(() => layer.outputShape(input));
  } catch (error) {
    const found = formatShape(input).replace('-1', 'batch');
    const inputSize = declaredInputShape(layer)?.[1];
    const detail =
      inputSize !== undefined && input.length === 2
        ? `${layer.type} takes ${inputSize} input features (inputSize), but the layers before it output ${input[1]}, ${found}`
        : `${layer.type} does not take ${found}, the output of the layers before it (${describeThrown(error)})`;
    throw new ModelFormatError(path, detail, { cause: error });
  }
}

/** The shape after the layer the walk starts at, for the input it declares. */
function startingShape(layer: Layer, declared: Shape): Shape | undefined {
  try {
    return tryShape(() => layer.outputShape(declared));
  } catch {
    // A layer that cannot take the input it declares is inconsistent in itself, not mischained: predict will say so.
    return undefined;
  }
}

/** `[batch, inputSize]` for a layer with a numeric `inputSize` (the convention of `Sequential.summary`). */
function declaredInputShape(layer: Layer): Shape | undefined {
  let size: unknown;
  try {
    size = (layer as Layer & { inputSize?: unknown }).inputSize;
  } catch {
    return undefined;
  }
  return typeof size === 'number' && Number.isSafeInteger(size) && size > 0 ? [-1, size] : undefined;
}

/** `compute()` when it returns a shape (integer dimensions, `-1` for any), else `undefined`. Rethrows what it throws. */
function tryShape(compute: () => unknown): Shape | undefined {
  const shape = compute();
  return Array.isArray(shape) && shape.every((d) => Number.isSafeInteger(d) && d >= -1) ? (shape as Shape) : undefined;
}
