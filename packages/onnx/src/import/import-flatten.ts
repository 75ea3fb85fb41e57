import { Flatten } from '@mnist/nn';
import { type Shape, shapeSize } from '@mnist/tensor';
import { type ImportStep, single } from './import-step.js';
import type { NodeReader } from './node-reader.js';

/** `Flatten` at axis 1 (`[batch, …] → [batch, features]`), as a `Flatten` layer. */
export function importFlatten(node: NodeReader, inputShape: Shape): ImportStep {
  node.expectInputs(1, 1);
  const { axis = 1 } = node.attributes({ axis: 'int' });
  const rank = inputShape.length;
  const normalized = axis < 0 ? axis + rank : axis;
  if (normalized !== 1) {
    throw node.unsupported(
      `axis = ${axis} keeps ${normalized} axes in the rows; only axis = 1 (keep the batch) imports`,
    );
  }
  return single(node, new Flatten());
}

/**
 * `Reshape` to `[batch, features]` by a constant shape, as a `Flatten` layer: the shape may keep the batch as `0` or
 * `-1` and give the features as their number or `-1`. Any other reshape changes more than the example's layout.
 */
export function importReshape(node: NodeReader, inputShape: Shape): ImportStep {
  node.expectInputs(2, 2);
  const { allowzero = 0 } = node.attributes({ allowzero: 'int' });
  const target = node.int64Input(1, 'the shape', 8);
  const features = shapeSize(inputShape.slice(1));
  const [rows, columns] = target;
  const keepsBatch = (rows === 0 && allowzero === 0) || (rows === -1 && columns !== -1);
  const flattens = columns === -1 || columns === features;
  if (target.length !== 2 || !keepsBatch || !flattens || (rows === -1 && columns !== features)) {
    throw node.unsupported(
      `shape [${target}] does not flatten [${inputShape.join(', ').replace('-1', 'batch')}] to [batch, ${features}]; only a Reshape that flattens (to [0, -1], [-1, ${features}] or [0, ${features}]) imports`,
    );
  }
  return single(node, new Flatten());
}
