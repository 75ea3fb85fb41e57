/**
 * Testing tools for layers and losses, yours or the built-in ones: a finite-difference gradient check and a layer
 * conformance harness that any test runner can drive.
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
