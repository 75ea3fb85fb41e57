/**
 * A learning-rate schedule: the rate to use at optimizer step `step` (0 for the first update). Schedules are plain
 * functions, so they compose: wrap one in another, or write your own in a line.
 *
 * @example
 * ```ts
 * import { Momentum, cosineDecay, withWarmup } from '@mnist/nn';
 *
 * const schedule = withWarmup(cosineDecay(0.1, 10_000), 500);
 * const optimizer = new Momentum({ learningRate: schedule });
 * ```
 */
export type LearningRateSchedule = (step: number) => number;

/** A constant rate, `α(t) = rate`. */
export function constantRate(rate: number): LearningRateSchedule {
  checkRate('constantRate', rate);
  return () => rate;
}

/** Step decay, `α(t) = rate · factor^⌊t / every⌋`: multiply by `factor` every `every` steps. */
export function stepDecay(rate: number, factor: number, every: number): LearningRateSchedule {
  checkRate('stepDecay', rate);
  checkFactor('stepDecay', 'factor', factor);
  checkPositiveInteger('stepDecay', 'every', every);
  return (step) => rate * factor ** Math.floor(step / every);
}

/** Exponential decay, `α(t) = rate · decay^(t / steps)`: a smooth version of {@link stepDecay}. */
export function exponentialDecay(rate: number, decay: number, steps: number): LearningRateSchedule {
  checkRate('exponentialDecay', rate);
  checkFactor('exponentialDecay', 'decay', decay);
  checkPositiveInteger('exponentialDecay', 'steps', steps);
  return (step) => rate * decay ** (step / steps);
}

/**
 * Cosine decay from `rate` to `minRate` over `steps` steps, then flat: `α(t) = min + (rate − min)·(1 + cos(π·t/steps))/2`
 * (Loshchilov & Hutter, "SGDR", 2017, without restarts).
 */
export function cosineDecay(rate: number, steps: number, minRate = 0): LearningRateSchedule {
  checkRate('cosineDecay', rate);
  if (!(minRate >= 0 && minRate <= rate))
    throw new RangeError(`cosineDecay: minRate must be in [0, rate], found ${minRate}`);
  checkPositiveInteger('cosineDecay', 'steps', steps);
  return (step) => minRate + ((rate - minRate) * (1 + Math.cos((Math.PI * Math.min(step, steps)) / steps))) / 2;
}

/** Linear warm-up: ramps from `schedule(0)/warmupSteps` to the schedule over the first `warmupSteps` steps, then defers to it. */
export function withWarmup(schedule: LearningRateSchedule, warmupSteps: number): LearningRateSchedule {
  checkPositiveInteger('withWarmup', 'warmupSteps', warmupSteps);
  return (step) => (step < warmupSteps ? (schedule(step) * (step + 1)) / warmupSteps : schedule(step));
}

function checkRate(name: string, rate: number): void {
  if (!Number.isFinite(rate) || rate < 0)
    throw new RangeError(`${name}: rate must be a finite number ≥ 0, found ${rate}`);
}

function checkFactor(name: string, field: string, value: number): void {
  if (!(value > 0 && value <= 1)) throw new RangeError(`${name}: ${field} must be in (0, 1], found ${value}`);
}

function checkPositiveInteger(name: string, field: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(`${name}: ${field} must be a positive integer, found ${value}`);
  }
}
