import type { LayerConfig } from '../layer.js';
import type { Param } from '../param.js';
import type { LearningRateSchedule } from '../schedules/schedule.js';

/**
 * Updates parameters from their gradients. Per-parameter state (velocities, moment estimates) is created lazily on
 * the first `step` that sees a parameter, like PyTorch's `optimizer.state[p]`.
 */
export interface Optimizer {
  /** The optimizer's name in model files, such as `Momentum`. */
  readonly type: string;
  /** Applies one update to every parameter from its `grad`, and advances the step count. */
  step(params: readonly Param[]): void;
  /** The number of `step` calls so far (the `t` of a learning-rate schedule). */
  readonly iterations: number;
  /** The learning rate the next `step` will use. */
  currentLearningRate(): number;
  /**
   * The JSON constructor options that rebuild this optimizer. A schedule cannot be saved as JSON, so the rate in
   * force is saved in its place.
   */
  config(): LayerConfig;
  /** The optimizer's state, by parameter name, for saving with a model. */
  state(): OptimizerState;
  /** Restores state saved by {@link Optimizer.state}. Slots are matched by parameter name. */
  loadState(state: OptimizerState, params: readonly Param[]): void;
}

/** An optimizer's saved state: the step count and, per parameter name, named slot arrays (`velocity`, …). */
export interface OptimizerState {
  /** The optimizer's type. */
  type: string;
  /** Steps taken. */
  iterations: number;
  /** Per parameter name, per slot name, the slot's values. */
  slots: Record<string, Record<string, Float32Array>>;
}

/** A learning rate: a number, or a schedule over steps. */
export type LearningRate = number | LearningRateSchedule;

/** Resolves a {@link LearningRate} at step `t`, checking the result. @internal */
export function rateAt(learningRate: LearningRate, t: number, owner: string): number {
  const rate = typeof learningRate === 'number' ? learningRate : learningRate(t);
  if (!Number.isFinite(rate) || rate < 0) {
    throw new RangeError(`${owner}: the learning rate must be a finite number ≥ 0, found ${rate} at step ${t}`);
  }
  return rate;
}

/** Checks a moving-average decay, `β ∈ [0, 1)`. @internal */
export function checkDecay(owner: string, name: string, value: number): number {
  if (!(value >= 0 && value < 1)) throw new RangeError(`${owner}: ${name} must be in [0, 1), found ${value}`);
  return value;
}

/** Checks an `ε`, finite and > 0. @internal */
export function checkEpsilon(owner: string, value: number): number {
  if (!(Number.isFinite(value) && value > 0)) {
    throw new RangeError(`${owner}: epsilon must be a finite number > 0, found ${value}`);
  }
  return value;
}

/** How a model file finds an optimizer's class: a static `fromConfig` that rebuilds it from {@link Optimizer.config}. */
export interface OptimizerClass {
  /** Rebuilds an optimizer from its saved config. May throw on invalid input. */
  fromConfig(config: LayerConfig): Optimizer;
}
