import type { LayerClass } from '../layer.js';
import { AvgPool2D } from '../layers/avg-pool2d.js';
import { BatchNorm } from '../layers/batch-norm.js';
import { Conv2D } from '../layers/conv2d.js';
import { Dense } from '../layers/dense.js';
import { Dropout } from '../layers/dropout.js';
import { Flatten } from '../layers/flatten.js';
import { GELU } from '../layers/gelu.js';
import { LeakyReLU } from '../layers/leaky-relu.js';
import { MaxPool2D } from '../layers/max-pool2d.js';
import { ReLU } from '../layers/relu.js';
import { Sigmoid } from '../layers/sigmoid.js';
import { Softmax } from '../layers/softmax.js';
import { Tanh } from '../layers/tanh.js';
import { AdaGrad } from '../optimizers/adagrad.js';
import { Adam } from '../optimizers/adam.js';
import { AdamW } from '../optimizers/adamw.js';
import { Momentum } from '../optimizers/momentum.js';
import type { OptimizerClass } from '../optimizers/optimizer.js';
import { RMSprop } from '../optimizers/rmsprop.js';
import { SGD } from '../optimizers/sgd.js';

// The one list of what a model file can name without the caller passing classes. Loading resolves types through these
// maps (plus the caller's own classes), never through an `if` chain, and nothing registers itself on import. The
// container, `Sequential`, is added by the loader, which imports it; listing it here would tie every layer to it.

/** The built-in layer classes, by the `type` a model file stores. */
export const BUILT_IN_LAYERS: ReadonlyMap<string, LayerClass> = new Map<string, LayerClass>([
  [Dense.type, Dense],
  [Conv2D.type, Conv2D],
  [MaxPool2D.type, MaxPool2D],
  [AvgPool2D.type, AvgPool2D],
  [ReLU.type, ReLU],
  [LeakyReLU.type, LeakyReLU],
  [Sigmoid.type, Sigmoid],
  [Tanh.type, Tanh],
  [GELU.type, GELU],
  [Softmax.type, Softmax],
  [Flatten.type, Flatten],
  [Dropout.type, Dropout],
  [BatchNorm.type, BatchNorm],
]);

/** The built-in optimizer classes, by the `type` a model file stores in its `training` section. */
export const BUILT_IN_OPTIMIZERS: ReadonlyMap<string, OptimizerClass> = new Map<string, OptimizerClass>([
  ['SGD', SGD],
  ['Momentum', Momentum],
  ['Adam', Adam],
  ['AdamW', AdamW],
  ['RMSprop', RMSprop],
  ['AdaGrad', AdaGrad],
]);
