import { Dropout, GELU, LeakyReLU, ReLU, Sigmoid, Softmax, Tanh } from '@mnist/nn';
import type { Shape } from '@mnist/tensor';
import { ErfGELU } from '../erf-gelu.js';
import { shortestFloat32Decimal } from '../float32-decimal.js';
import { TensorProto_DataType } from '../proto/onnx_pb.js';
import { type ImportStep, type OpImporter, single } from './import-step.js';
import type { NodeReader } from './node-reader.js';

/** An operator of one input and no attributes, as a fresh layer. */
function elementwise(make: () => ReturnType<OpImporter>['layers'][number]): OpImporter {
  return (node) => {
    node.expectInputs(1, 1);
    node.attributes({});
    return single(node, make());
  };
}

export const importRelu = elementwise(() => new ReLU());
export const importSigmoid = elementwise(() => new Sigmoid());
export const importTanh = elementwise(() => new Tanh());

/** `LeakyRelu` with its `alpha` (default 0.01) as the slope. */
export function importLeakyRelu(node: NodeReader): ImportStep {
  node.expectInputs(1, 1);
  const { alpha = 0.01 } = node.attributes({ alpha: 'float' });
  return single(node, new LeakyReLU({ slope: shortestFloat32Decimal(alpha) }));
}

/**
 * `Softmax` over the last axis. Before opset 13 the operator flattens the input at `axis` (default 1) and normalises
 * the rows, which is the last-axis softmax only when `axis` is the last axis; from 13 it normalises along `axis`
 * (default −1).
 */
export function importSoftmax(node: NodeReader, inputShape: Shape): ImportStep {
  node.expectInputs(1, 1);
  const rank = inputShape.length;
  const { axis = node.opset >= 13 ? -1 : 1 } = node.attributes({ axis: 'int' });
  if ((axis < 0 ? axis + rank : axis) !== rank - 1) {
    throw node.unsupported(`axis = ${axis} on an input of rank ${rank}; only a softmax over the last axis imports`);
  }
  return single(node, new Softmax());
}

/** `Gelu` (opset 20): `approximate = "tanh"` is the `GELU` layer, `"none"` (the default) the exact {@link ErfGELU}. */
export function importGelu(node: NodeReader): ImportStep {
  node.expectInputs(1, 1);
  const { approximate = 'none' } = node.attributes({ approximate: 'string' });
  if (approximate === 'tanh') return single(node, new GELU());
  if (approximate === 'none') return single(node, new ErfGELU());
  throw node.invalid(`approximate must be "none" or "tanh", found "${approximate}"`);
}

/**
 * `Dropout`: the identity at inference, imported as a `Dropout` layer of the same rate so that fine-tuning drops
 * as the original did. The rate is an attribute before opset 12 and a constant input from 12.
 */
export function importDropout(node: NodeReader): ImportStep {
  node.expectInputs(1, 3);
  let ratioAttribute: number | undefined;
  if (node.opset < 12) ratioAttribute = node.attributes({ ratio: 'float' }).ratio;
  // The seed (from opset 12) only matters while training, where the layer draws from the model's own generator.
  else node.attributes({ seed: 'int' });
  if (node.optionalInput(2) !== undefined) {
    const [training] = node.isConstantInput(2) ? boolInput(node) : [1];
    if (training !== 0)
      throw node.unsupported('training_mode must be a constant false: the graph must compute inference');
  }
  const ratio =
    node.optionalInput(1) === undefined
      ? (ratioAttribute ?? 0.5)
      : scalar(node, node.constantInput(1, 'the ratio').values);
  if (!(ratio >= 0 && ratio < 1)) throw node.invalid(`ratio must be in [0, 1), found ${ratio}`);
  const rate = shortestFloat32Decimal(ratio);
  return single(node, ...(rate === 0 ? [] : [new Dropout(rate)]));
}

/** `Identity`: no layer. */
export function importIdentity(node: NodeReader): ImportStep {
  node.expectInputs(1, 1);
  node.attributes({});
  return single(node);
}

function scalar(node: NodeReader, values: Float32Array): number {
  if (values.length !== 1) throw node.invalid(`expected one value, found ${values.length}`);
  return values[0];
}

/** A BOOL constant input (training_mode) read through its raw bytes or int32_data, as ONNX stores booleans. */
function boolInput(node: NodeReader): number[] {
  const tensor = node.graph.constant(node.node.input[2])?.tensor;
  if (tensor?.dataType !== TensorProto_DataType.BOOL) throw node.invalid('training_mode must be a BOOL');
  const values = tensor.rawData.length > 0 ? Array.from(tensor.rawData) : tensor.int32Data;
  if (values.length !== 1) throw node.invalid(`training_mode must hold one value, found ${values.length}`);
  return values;
}
