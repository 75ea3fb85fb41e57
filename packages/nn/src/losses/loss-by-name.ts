import { CrossEntropy } from './cross-entropy.js';
import type { Loss } from './loss.js';
import { MeanSquaredError } from './mean-squared-error.js';

const LOSSES: ReadonlyMap<string, () => Loss> = new Map<string, () => Loss>([
  ['categoricalCrossEntropy', () => new CrossEntropy()],
  ['meanSquaredError', () => new MeanSquaredError()],
]);

/** The names of the built-in losses, as `compile` and model files spell them. */
export type LossName = 'categoricalCrossEntropy' | 'meanSquaredError';

/** The names {@link lossByName} knows. */
export const LOSS_NAMES: readonly string[] = Object.freeze([...LOSSES.keys()]);

/** A new built-in loss by its name, or `undefined` for an unknown name. */
export function lossByName(name: string): Loss | undefined {
  return LOSSES.get(name)?.();
}
