import { Adam, cosineDecay, Momentum, type Optimizer, SGD } from '@mnist/nn';
import type { TrainingSettings } from './training-settings.js';

/**
 * The optimizer the settings name, with the learning rate decayed to 0 along a cosine over `totalSteps` when the
 * schedule is `cosine` (so the last epochs settle into a minimum instead of bouncing around it). `momentum` is the
 * original network's rule, `v ← 0.9·v + 0.1·g; θ ← θ − α·v`.
 */
export function buildOptimizer(settings: TrainingSettings, totalSteps: number): Optimizer {
  const learningRate =
    settings.schedule === 'cosine' ? cosineDecay(settings.learningRate, totalSteps) : settings.learningRate;
  switch (settings.optimizer) {
    case 'sgd':
      return new SGD({ learningRate });
    case 'nesterov':
      return new Momentum({ learningRate, momentum: 0.9, nesterov: true });
    case 'adam':
      return new Adam({ learningRate });
    default:
      return new Momentum({ learningRate, momentum: 0.9 });
  }
}
