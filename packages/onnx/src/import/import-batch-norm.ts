import { BatchNorm } from '@mnist/nn';
import type { Shape } from '@mnist/tensor';
import { shortestFloat32Decimal } from '../float32-decimal.js';
import { type ImportStep, single } from './import-step.js';
import type { NodeReader } from './node-reader.js';

/**
 * `BatchNormalization` in inference form (`training_mode = 0`) as a `BatchNorm` layer: scale and bias become γ and β,
 * the mean and variance its running statistics. ONNX's `momentum` weighs the old running value, the layer's the new
 * one, so the layer's is `1 − momentum`.
 */
export function importBatchNormalization(node: NodeReader, inputShape: Shape): ImportStep {
  node.expectInputs(5, 5);
  const {
    epsilon = 1e-5,
    momentum = 0.9,
    training_mode = 0,
  } = node.attributes({
    epsilon: 'float',
    momentum: 'float',
    training_mode: 'int',
  });
  if (training_mode !== 0)
    throw node.unsupported('training_mode = 1 normalises with batch statistics; only the inference form imports');
  if (node.node.output.length > 1 && node.node.output.slice(1).some((o) => o !== '')) {
    throw node.unsupported('the running-statistics outputs belong to training mode; only the inference form imports');
  }
  const [scale, bias, mean, variance] = [1, 2, 3, 4].map((i) =>
    node.constantInput(i, ['', 'the scale', 'the bias B', 'the mean', 'the variance'][i]),
  );
  const features = inputShape[1];
  for (const [name, t] of [
    ['scale', scale],
    ['B', bias],
    ['mean', mean],
    ['var', variance],
  ] as const) {
    if (t.shape.length !== 1 || t.shape[0] !== features) {
      throw node.invalid(`${name} must have shape [${features}] (the input's channels), found [${t.shape}]`);
    }
  }
  const layer = new BatchNorm(features, {
    epsilon: shortestFloat32Decimal(epsilon),
    // The decimal the float32 stands for (0.9), then 1 − 0.9 to 15 digits, as doubles would give 0.09999999999999998.
    momentum: Number((1 - shortestFloat32Decimal(momentum)).toPrecision(15)),
  });
  layer.weight.value.data.set(scale.values);
  layer.bias.value.data.set(bias.values);
  layer.runningMean.data.set(mean.values);
  layer.runningVar.data.set(variance.values);
  return single(node, layer);
}
