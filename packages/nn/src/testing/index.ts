/**
 * Testing tools for layers, losses and optimizers, yours or the built-in ones: a finite-difference gradient check, a
 * layer conformance harness and an optimizer conformance harness, which any test runner can drive.
 *
 * @example
 * ```ts
 * import { it } from 'vitest';
 * import { Dense } from '@mnist/nn';
 * import { layerConformanceCases } from '@mnist/nn/testing';
 *
 * for (const c of layerConformanceCases(() => new Dense(5, 3), { inputShape: [4, 5] })) it(c.name, c.run);
 * ```
 *
 * @packageDocumentation
 */

export {
  type GradientCheckOptions,
  type GradientCheckReport,
  type GradientMismatch,
  gradientCheck,
} from './gradient-check.js';
export {
  checkLayer,
  type LayerCheckCase,
  type LayerCheckOptions,
  layerConformanceCases,
} from './layer-conformance.js';
export {
  checkOptimizer,
  type OptimizerCheckCase,
  type OptimizerCheckOptions,
  type OptimizerRule,
  optimizerConformanceCases,
} from './optimizer-conformance.js';
