import type { Layer } from '@mnist/nn';
import type { Shape } from '@mnist/tensor';
import type { NodeReader } from './node-reader.js';

/** What importing one operator (or a short pattern of them) gives: the layers and the value the chain continues from. */
export interface ImportStep {
  /** The layers, in order; empty for an operator that is the identity at inference (`Identity`, `Dropout` of rate 0). */
  readonly layers: Layer[];
  /** The value after these layers. */
  readonly output: string;
  /** Every node the step stands for (a `MatMul` and the `Add` of its bias). */
  readonly nodes: readonly number[];
}

/**
 * Imports the node `node` whose first input is the chain's current value, of shape `inputShape` (batch first, as
 * `-1`). @internal
 */
export type OpImporter = (node: NodeReader, inputShape: Shape) => ImportStep;

/** The step of a single node that becomes `layers`. @internal */
export function single(node: NodeReader, ...layers: Layer[]): ImportStep {
  return { layers, output: node.output(), nodes: [node.index] };
}
