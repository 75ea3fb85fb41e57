import { Tensor } from '@mnist/tensor';
import type { LayerConfig } from '../layer.js';
import type { Param } from '../param.js';
import { clipGradNorm } from './clip-grad-norm.js';
import { type LearningRate, type Optimizer, type OptimizerState, rateAt } from './optimizer.js';
import { SharedOptimizerError } from './shared-optimizer-error.js';

/** One parameter's slots, with the name it was first stepped under (the key of its saved state). */
interface ParamSlots {
  readonly name: string;
  readonly slots: Record<string, Tensor>;
}

/** Options every {@link SlotOptimizer} takes besides its learning rate. */
export interface SlotOptimizerOptions {
  /**
   * Clip the gradients by their global norm before each update: when `‖g‖ = √(Σ over every parameter of Σ g²)` exceeds
   * this, `step` first scales every gradient by `gradientClipNorm/‖g‖` (see {@link clipGradNorm}; the `grad` tensors
   * keep the clipped values). A finite number > 0. Default: no clipping. Saved in the optimizer's config only when set.
   */
  gradientClipNorm?: number;
}

/**
 * The bookkeeping every optimizer shares: the step count, the learning rate (or schedule), optional gradient clipping
 * by global norm, and lazily created per-parameter slots (a velocity, moment estimates) that are saved and restored by
 * parameter name. A subclass names its slots and writes one `update`.
 *
 * One `step` is: clip the gradients when {@link SlotOptimizer.gradientClipNorm} is set, then `update` each parameter
 * with the step's learning rate, then count the step.
 *
 * Slots belong to a parameter's value tensor, not to the `Param` object that carries it, so a model that hands out
 * new `Param` objects for the same weights (as {@link Sequential.params} does after `add`) keeps its state. One
 * optimizer serves one model: a step that meets a second tensor under a name it already knows (every model has a
 * `0.weight`) throws a {@link SharedOptimizerError} before changing anything. {@link SlotOptimizer.loadState} binds
 * the optimizer afresh to the parameters it is given.
 */
export abstract class SlotOptimizer implements Optimizer {
  /** @inheritdoc */
  abstract readonly type: string;
  /** The names of the per-parameter arrays this optimizer keeps, such as `['velocity']`. */
  protected abstract readonly slotNames: readonly string[];
  /** The global gradient norm that `step` clips to, or `undefined` for no clipping. */
  readonly gradientClipNorm: number | undefined;
  private readonly slotsByValue = new Map<Tensor, ParamSlots>();
  private readonly valueByName = new Map<string, Tensor>();
  private steps = 0;

  /**
   * @param learningRate - a fixed rate or a schedule over steps
   * @param options - gradient clipping
   * @throws RangeError when the rate or `gradientClipNorm` is out of range
   */
  constructor(
    readonly learningRate: LearningRate,
    options: SlotOptimizerOptions = {},
  ) {
    if (typeof learningRate === 'number') rateAt(learningRate, 0, this.constructor.name);
    else if (typeof learningRate !== 'function') {
      throw new TypeError(`${this.constructor.name}: learningRate must be a number or a schedule function`);
    }
    const clip = options.gradientClipNorm;
    if (clip !== undefined && !(Number.isFinite(clip) && clip > 0)) {
      throw new RangeError(`${this.constructor.name}: gradientClipNorm must be a finite number > 0, found ${clip}`);
    }
    this.gradientClipNorm = clip;
  }

  /** @inheritdoc */
  get iterations(): number {
    return this.steps;
  }

  /** @inheritdoc */
  currentLearningRate(): number {
    return rateAt(this.learningRate, this.steps, this.type);
  }

  /** @inheritdoc */
  abstract config(): LayerConfig;

  /**
   * @inheritdoc
   * @throws {@link SharedOptimizerError} when a parameter's name belongs to another tensor this optimizer updates
   */
  step(params: readonly Param[]): void {
    // Every parameter is vetted before the first one moves (or is clipped).
    for (const param of params) this.checkOwnership(param);
    const rate = this.currentLearningRate();
    if (this.gradientClipNorm !== undefined) clipGradNorm(params, this.gradientClipNorm);
    for (const param of params) this.update(param, rate, this.slotsFor(param));
    this.steps++;
  }

  /**
   * Applies the update rule to one parameter with the step's learning rate. During the call,
   * {@link SlotOptimizer.iterations} is the number of earlier steps, so this is step `iterations + 1`.
   */
  protected abstract update(param: Param, learningRate: number, slots: Record<string, Tensor>): void;

  /** The value a slot starts at when a parameter is first seen. Default 0; AdaGrad's accumulator overrides it. */
  /**
   * The slots whose values can never be negative (running sums and averages of squares), which
   * {@link SlotOptimizer.loadState} refuses to load with a negative value: its square root would make every later
   * step NaN. Default: none.
   */
  protected readonly nonNegativeSlots: readonly string[] = [];

  protected initialSlotValue(_slot: string): number {
    return 0;
  }

  /** The {@link SlotOptimizerOptions} as config fields for a subclass's `config()`: `{ gradientClipNorm }` or `{}`. */
  protected sharedConfig(): LayerConfig {
    return this.gradientClipNorm === undefined ? {} : { gradientClipNorm: this.gradientClipNorm };
  }

  /** @inheritdoc */
  state(): OptimizerState {
    const slots: Record<string, Record<string, Float32Array>> = {};
    for (const { name, slots: values } of this.slotsByValue.values()) {
      const copy: Record<string, Float32Array> = {};
      for (const slot of this.slotNames) copy[slot] = values[slot].data.slice();
      slots[name] = copy;
    }
    return { type: this.type, iterations: this.steps, slots };
  }

  /** @inheritdoc */
  loadState(state: OptimizerState, params: readonly Param[]): void {
    if (state.type !== this.type) {
      throw new TypeError(`${this.type}.loadState: the state was saved by ${state.type}, not ${this.type}`);
    }
    if (!Number.isSafeInteger(state.iterations) || state.iterations < 0) {
      throw new RangeError(
        `${this.type}.loadState: iterations must be a non-negative integer, found ${state.iterations}`,
      );
    }
    const byName = new Map(params.map((p) => [p.name, p]));
    const entries = Object.entries(state.slots);
    // Check everything before changing anything, so a rejected state leaves the optimizer as it was.
    for (const [name, saved] of entries) {
      const param = byName.get(name);
      if (!param)
        throw new RangeError(`${this.type}.loadState: the state has slots for '${name}', which is not a parameter`);
      for (const slot of this.slotNames) {
        const values = saved[slot];
        if (!values || values.length !== param.value.size) {
          throw new RangeError(
            `${this.type}.loadState: slot '${slot}' of '${name}' must hold ${param.value.size} values, found ${values?.length ?? 'none'}`,
          );
        }
        const nonNegative = this.nonNegativeSlots.includes(slot);
        for (let i = 0; i < values.length; i++) {
          const v = values[i];
          if (!Number.isFinite(v) || (nonNegative && v < 0)) {
            throw new RangeError(
              `${this.type}.loadState: slot '${slot}' of '${name}' must hold ${nonNegative ? 'finite values ≥ 0' : 'finite values'}, found ${v} at ${i}`,
            );
          }
        }
      }
    }
    this.slotsByValue.clear();
    this.valueByName.clear();
    for (const [name, saved] of entries) {
      const slots = this.slotsFor(byName.get(name) as Param);
      for (const slot of this.slotNames) slots[slot].data.set(saved[slot]);
    }
    this.steps = state.iterations;
  }

  private checkOwnership(param: Param): void {
    if (this.slotsByValue.has(param.value)) return;
    const known = this.valueByName.get(param.name);
    if (known !== undefined && known !== param.value) throw new SharedOptimizerError(this.type, param.name);
  }

  /**
   * The parameter's slots, created on first use where the parameter is placed (so the update kernel reads and writes
   * them in place), and moved after it when the model moves to another backend.
   */
  private slotsFor(param: Param): Record<string, Tensor> {
    const backend = param.value.backend;
    let entry = this.slotsByValue.get(param.value);
    if (!entry) {
      const slots: Record<string, Tensor> = {};
      for (const name of this.slotNames) {
        slots[name] = Tensor.zeros(param.value.shape, backend).fill(this.initialSlotValue(name));
      }
      entry = { name: param.name, slots };
      this.slotsByValue.set(param.value, entry);
      this.valueByName.set(param.name, param.value);
    } else {
      for (const name of this.slotNames) entry.slots[name].moveTo(backend);
    }
    return entry.slots;
  }
}
