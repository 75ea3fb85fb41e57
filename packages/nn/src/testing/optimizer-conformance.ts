import { type Backend, Random, Tensor } from '@mnist/tensor';
import type { Optimizer, OptimizerClass } from '../optimizers/optimizer.js';
import type { Param } from '../param.js';

/**
 * An optimizer's update rule for one element, written the plain way (float64, one number at a time), as the harness's
 * hand-computed expectation: it is given the element's value `theta`, its gradient, its slot values (which it
 * updates in place), the step number `t` (1 for the first step) and the step's learning rate, and returns the new
 * value.
 */
export interface OptimizerRule {
  /** Each slot's name and its value before the first step (a velocity starts at 0). */
  readonly slots: Readonly<Record<string, number>>;
  /** One step of the rule for one element. */
  step(theta: number, grad: number, slots: Record<string, number>, t: number, learningRate: number): number;
}

/** Options of {@link optimizerConformanceCases} and {@link checkOptimizer}. */
export interface OptimizerCheckOptions {
  /** The rule the optimizer must follow, element by element. */
  rule: OptimizerRule;
  /** The class whose `fromConfig` rebuilds the optimizer. Default: the optimizer's constructor. */
  optimizerClass?: OptimizerClass;
  /**
   * Backends to check memory placement on: with parameters placed on each (`Tensor.moveTo`, into the backend's own
   * memory where it has one), the optimizer must give the same bits as with parameters that run on the same backend
   * from ordinary arrays, and keep its slots with the parameters. Default: none.
   */
  backends?: readonly Backend[];
  /** Steps each case takes. Default 4. */
  steps?: number;
  /**
   * Relative tolerance against the rule, which runs in float64 while the kernels keep float32 state. Default `1e-5`.
   */
  rtol?: number;
  /** Seed of the parameters and gradients. Default 1. */
  seed?: number;
}

/** One named check of an optimizer; `run` throws on failure. */
export interface OptimizerCheckCase {
  /** What is checked. */
  readonly name: string;
  /** Runs the check. */
  run(): void;
}

/**
 * The parameter shapes every case trains: a matrix, a vector, a single value, and one large enough (over 2¹⁵ values)
 * that a backend splitting large updates across threads does so.
 */
const SHAPES: readonly (readonly number[])[] = [[7, 5], [3], [1], [160, 210]];

/**
 * The conformance checks every optimizer should pass, built-in or yours, as cases any test runner can run: its steps
 * follow the hand-written `rule` element by element (including slots created lazily per parameter, never shared);
 * `iterations` counts steps; `state()` saved after some steps and loaded into a fresh optimizer continues to the same
 * bits as an uninterrupted run; `config()` is JSON and `fromConfig(config())` rebuilds an optimizer that steps the
 * same; and parameters placed on each of `backends` give the same bits as in ordinary memory.
 *
 * @param create - makes a fresh optimizer (each case gets its own)
 * @example
 * ```ts
 * import { it } from 'vitest';
 * import { SGD } from '@mnist/nn';
 * import { optimizerConformanceCases } from '@mnist/nn/testing';
 *
 * const rule = { slots: {}, step: (theta: number, grad: number, _s: object, _t: number, rate: number) => theta - rate * grad };
 * for (const c of optimizerConformanceCases(() => new SGD({ learningRate: 0.1 }), { rule })) it(c.name, c.run);
 * ```
 */
export function optimizerConformanceCases(
  create: () => Optimizer,
  options: OptimizerCheckOptions,
): OptimizerCheckCase[] {
  const steps = options.steps ?? 4;
  const seed = options.seed ?? 1;
  const type = create().type;
  const cases: OptimizerCheckCase[] = [];
  const add = (name: string, run: () => void) => cases.push({ name: `${type}: ${name}`, run });

  add('steps follow the rule, element by element', () => {
    const optimizer = create();
    const params = makeParams(seed);
    const expected = params.map((p) => expectedRun(options.rule, p, steps, seed));
    const rates = trainSteps(optimizer, params, steps, seed);
    for (const [i, p] of params.entries()) compareToRule(p, expected[i](rates), options.rtol ?? 1e-5);
    if (optimizer.iterations !== steps) {
      throw new Error(`iterations is ${optimizer.iterations} after ${steps} steps`);
    }
  });

  add('state saved mid-run and loaded into a fresh optimizer continues to the same bits', () => {
    const whole = makeParams(seed);
    trainSteps(create(), whole, steps, seed);
    const half = Math.floor(steps / 2);
    const resumed = makeParams(seed);
    const first = create();
    trainSteps(first, resumed, half, seed);
    const saved = JSON.parse(JSON.stringify(serialize(first.state()))) as SerializedState;
    const second = create();
    second.loadState(deserialize(saved), resumed);
    if (second.iterations !== half) throw new Error(`loadState restored ${second.iterations} steps, expected ${half}`);
    trainSteps(second, resumed, steps - half, seed, half);
    compareBits(resumed, whole, 'after resuming from saved state');
  });

  add('config is JSON and fromConfig rebuilds an optimizer that steps the same', () => {
    const original = create();
    const config = original.config();
    const text = JSON.stringify(config);
    const cls = options.optimizerClass ?? (original.constructor as unknown as OptimizerClass);
    if (typeof cls.fromConfig !== 'function') throw new Error(`${type} has no static fromConfig`);
    const rebuilt = cls.fromConfig(JSON.parse(text));
    if (rebuilt.type !== type) throw new Error(`fromConfig built a '${rebuilt.type}', expected '${type}'`);
    if (JSON.stringify(rebuilt.config()) !== text) {
      throw new Error(`fromConfig(config()) has config ${JSON.stringify(rebuilt.config())}, expected ${text}`);
    }
    const a = makeParams(seed);
    const b = makeParams(seed);
    trainSteps(original, a, steps, seed);
    trainSteps(rebuilt, b, steps, seed);
    compareBits(b, a, 'after fromConfig(config())');
  });

  for (const backend of options.backends ?? []) {
    add(`parameters in ${backend.name}'s own memory give the bits of ordinary arrays`, () => {
      // The same backend's kernels either way (the tensors are placed on it), reading ordinary arrays or its memory.
      const plain = makeParams(seed).map((p) => ({
        name: p.name,
        value: new Tensor(p.value.data, p.value.shape, backend),
        grad: new Tensor(p.grad.data, p.grad.shape, backend),
      }));
      trainSteps(create(), plain, steps, seed);
      const placed = makeParams(seed);
      for (const p of placed) {
        p.value.moveTo(backend);
        p.grad.moveTo(backend);
      }
      const optimizer = create();
      trainSteps(optimizer, placed, steps, seed);
      compareBits(placed, plain, `placed on ${backend.name}`);
      const state = optimizer.state();
      for (const p of placed) {
        if (p.value.backend !== backend) throw new Error(`the optimizer moved ${p.name} off ${backend.name}`);
        for (const [slot, values] of Object.entries(state.slots[p.name] ?? {})) {
          if (values.length !== p.value.size)
            throw new Error(`slot ${slot} of ${p.name} holds ${values.length} values`);
        }
      }
    });
  }
  return cases;
}

/** Runs every case of {@link optimizerConformanceCases}; throws one error listing every failure. */
export function checkOptimizer(create: () => Optimizer, options: OptimizerCheckOptions): void {
  const failures: string[] = [];
  for (const c of optimizerConformanceCases(create, options)) {
    try {
      c.run();
    } catch (error) {
      failures.push(`${c.name}: ${(error as Error).message}`);
    }
  }
  if (failures.length > 0) throw new Error(`optimizer conformance failed:\n${failures.join('\n')}`);
}

/** Parameters of {@link SHAPES} with seeded values in `[−1, 1]`, named `p0`, `p1`, …. */
function makeParams(seed: number): Param[] {
  const rng = new Random(seed);
  return SHAPES.map((shape, i) => {
    const value = Tensor.zeros(shape);
    for (let j = 0; j < value.size; j++) value.data[j] = rng.uniform(-1, 1);
    return { name: `p${i}`, value, grad: Tensor.zeros(shape) };
  });
}

/** The gradient of parameter `index` at step `t` (0-based): seeded, different every step, some exactly zero. */
function gradientAt(seed: number, t: number, index: number, size: number, out: Float32Array): void {
  const rng = new Random(seed * 1009 + t * 31 + index);
  for (let j = 0; j < size; j++) out[j] = j % 7 === 3 ? 0 : rng.uniform(-2, 2);
}

/** Takes `count` steps with the seeded gradients of steps `from …`, and returns the learning rate of each. */
function trainSteps(optimizer: Optimizer, params: Param[], count: number, seed: number, from = 0): number[] {
  const rates: number[] = [];
  for (let t = from; t < from + count; t++) {
    for (const [i, p] of params.entries()) gradientAt(seed, t, i, p.grad.size, p.grad.data);
    rates.push(optimizer.currentLearningRate());
    optimizer.step(params);
  }
  return rates;
}

/**
 * The rule's values for `param` after the steps whose learning rates are given, computed from the same start and
 * gradients the optimizer sees.
 */
function expectedRun(
  rule: OptimizerRule,
  param: Param,
  steps: number,
  seed: number,
): (rates: number[]) => Float64Array {
  const start = Float64Array.from(param.value.data);
  const index = Number(param.name.slice(1));
  return (rates) => {
    const theta = Float64Array.from(start);
    const slots = Array.from(theta, () => ({ ...rule.slots }));
    const grad = new Float32Array(theta.length);
    for (let t = 0; t < steps; t++) {
      gradientAt(seed, t, index, theta.length, grad);
      for (let j = 0; j < theta.length; j++) theta[j] = rule.step(theta[j], grad[j], slots[j], t + 1, rates[t]);
    }
    return theta;
  };
}

function compareToRule(param: Param, expected: Float64Array, rtol: number): void {
  for (let j = 0; j < expected.length; j++) {
    const actual = param.value.data[j];
    if (!(Math.abs(actual - expected[j]) <= rtol * (1 + Math.abs(expected[j])))) {
      throw new Error(`${param.name}[${j}] is ${actual}, the rule gives ${expected[j]} (rtol ${rtol})`);
    }
  }
}

function compareBits(actual: Param[], expected: Param[], when: string): void {
  actual.forEach((p, i) => {
    const e = expected[i].value.data;
    for (let j = 0; j < e.length; j++) {
      if (!Object.is(p.value.data[j], e[j])) {
        throw new Error(`${p.name}[${j}] is ${p.value.data[j]} ${when}, ${e[j]} in the uninterrupted run`);
      }
    }
  });
}

/** An optimizer state with plain arrays, as a model file keeps it. */
type SerializedState = { type: string; iterations: number; slots: Record<string, Record<string, number[]>> };

function serialize(state: ReturnType<Optimizer['state']>): SerializedState {
  const slots: SerializedState['slots'] = {};
  for (const [name, perSlot] of Object.entries(state.slots)) {
    slots[name] = Object.fromEntries(Object.entries(perSlot).map(([slot, values]) => [slot, Array.from(values)]));
  }
  return { type: state.type, iterations: state.iterations, slots };
}

function deserialize(state: SerializedState): ReturnType<Optimizer['state']> {
  const slots: Record<string, Record<string, Float32Array>> = {};
  for (const [name, perSlot] of Object.entries(state.slots)) {
    slots[name] = Object.fromEntries(
      Object.entries(perSlot).map(([slot, values]) => [slot, Float32Array.from(values)]),
    );
  }
  return { type: state.type, iterations: state.iterations, slots };
}
