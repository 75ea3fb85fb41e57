import { getBackend, jsBackend, Tensor } from '@mnist/tensor';
import { describe, expect, it } from 'vitest';
import { AdaGrad } from '../optimizers/adagrad.js';
import { Adam } from '../optimizers/adam.js';
import { AdamW } from '../optimizers/adamw.js';
import { Momentum } from '../optimizers/momentum.js';
import type { Optimizer, OptimizerState } from '../optimizers/optimizer.js';
import { RMSprop } from '../optimizers/rmsprop.js';
import { SGD } from '../optimizers/sgd.js';
import type { Param } from '../param.js';
import { checkOptimizer, type OptimizerRule, optimizerConformanceCases } from './optimizer-conformance.js';

// Each built-in optimizer's update rule, written out by hand from its documentation, one element at a time.
const sgd: OptimizerRule = { slots: {}, step: (theta, g, _s, _t, rate) => theta - rate * g };

function momentum(beta: number, form: 'average' | 'heavyBall', nesterov: boolean): OptimizerRule {
  const c = form === 'average' ? 1 - beta : 1;
  return {
    slots: { velocity: 0 },
    step(theta, g, s, _t, rate) {
      s.velocity = beta * s.velocity + c * g;
      return theta - rate * (nesterov ? beta * s.velocity + c * g : s.velocity);
    },
  };
}

function adam(beta1: number, beta2: number, epsilon: number, weightDecay = 0): OptimizerRule {
  return {
    slots: { m: 0, v: 0 },
    step(theta, g, s, t, rate) {
      s.m = beta1 * s.m + (1 - beta1) * g;
      s.v = beta2 * s.v + (1 - beta2) * g * g;
      const mHat = s.m / (1 - beta1 ** t);
      const vHat = s.v / (1 - beta2 ** t);
      return theta * (1 - rate * weightDecay) - (rate * mHat) / (Math.sqrt(vHat) + epsilon);
    },
  };
}

function rmsprop(rho: number, epsilon: number, mu: number): OptimizerRule {
  return {
    slots: mu > 0 ? { meanSquare: 0, velocity: 0 } : { meanSquare: 0 },
    step(theta, g, s, _t, rate) {
      s.meanSquare = rho * s.meanSquare + (1 - rho) * g * g;
      const scaled = g / (Math.sqrt(s.meanSquare) + epsilon);
      if (mu === 0) return theta - rate * scaled;
      s.velocity = mu * s.velocity + scaled;
      return theta - rate * s.velocity;
    },
  };
}

function adagrad(epsilon: number, initial: number): OptimizerRule {
  return {
    slots: { accumulator: initial },
    step(theta, g, s, _t, rate) {
      s.accumulator += g * g;
      return theta - (rate * g) / (Math.sqrt(s.accumulator) + epsilon);
    },
  };
}

const backends = [jsBackend, getBackend()];
const built: [string, () => Optimizer, OptimizerRule][] = [
  ['SGD', () => new SGD({ learningRate: 0.1 }), sgd],
  ['Momentum (average)', () => new Momentum({ learningRate: 0.1, momentum: 0.9 }), momentum(0.9, 'average', false)],
  [
    'Momentum (heavy ball, Nesterov)',
    () => new Momentum({ learningRate: 0.05, momentum: 0.8, form: 'heavyBall', nesterov: true }),
    momentum(0.8, 'heavyBall', true),
  ],
  [
    'Momentum (average, Nesterov)',
    () => new Momentum({ learningRate: 0.1, nesterov: true }),
    momentum(0.9, 'average', true),
  ],
  ['Adam', () => new Adam({ learningRate: 0.01 }), adam(0.9, 0.999, 1e-8)],
  ['AdamW', () => new AdamW({ learningRate: 0.01, weightDecay: 0.1 }), adam(0.9, 0.999, 1e-8, 0.1)],
  ['RMSprop', () => new RMSprop({ learningRate: 0.01, rho: 0.9 }), rmsprop(0.9, 1e-8, 0)],
  [
    'RMSprop with momentum',
    () => new RMSprop({ learningRate: 0.01, rho: 0.8, momentum: 0.5 }),
    rmsprop(0.8, 1e-8, 0.5),
  ],
  ['AdaGrad', () => new AdaGrad({ learningRate: 0.1, initialAccumulator: 0.1 }), adagrad(1e-10, 0.1)],
];

for (const [name, create, rule] of built) {
  describe(`${name} conformance`, () => {
    for (const c of optimizerConformanceCases(create, { rule, backends })) it(c.name, c.run);
  });
}

describe('the optimizer harness catches what it checks', () => {
  /** SGD with a flaw switched on by `flaw`. */
  class Flawed implements Optimizer {
    readonly type = 'Flawed';
    private steps = 0;
    constructor(private readonly flaw: 'sign' | 'forgetful' | 'config' | 'none') {}
    static fromConfig(config: { flaw: 'sign' | 'forgetful' | 'config' | 'none' }): Flawed {
      return new Flawed(config.flaw === 'config' ? 'sign' : config.flaw);
    }
    get iterations(): number {
      return this.steps;
    }
    currentLearningRate(): number {
      return 0.1;
    }
    step(params: readonly Param[]): void {
      const sign = this.flaw === 'sign' ? -1 : 1;
      for (const p of params) for (let i = 0; i < p.value.size; i++) p.value.data[i] -= sign * 0.1 * p.grad.data[i];
      this.steps++;
    }
    config() {
      return { flaw: this.flaw };
    }
    state(): OptimizerState {
      return { type: this.type, iterations: this.steps, slots: {} };
    }
    loadState(state: OptimizerState): void {
      if (this.flaw !== 'forgetful') this.steps = state.iterations;
    }
  }
  const failing = (flaw: 'sign' | 'forgetful' | 'config') =>
    optimizerConformanceCases(() => new Flawed(flaw), { rule: sgd }).filter((c) => {
      try {
        c.run();
        return false;
      } catch {
        return true;
      }
    });

  it('accepts a correct optimizer', () => {
    expect(() => checkOptimizer(() => new Flawed('none'), { rule: sgd })).not.toThrow();
  });

  it('fails a wrong update, a lost step count and a config that rebuilds something else', () => {
    expect(failing('sign').map((c) => c.name)).toContain('Flawed: steps follow the rule, element by element');
    expect(failing('forgetful').map((c) => c.name)).toEqual([
      'Flawed: state saved mid-run and loaded into a fresh optimizer continues to the same bits',
    ]);
    expect(failing('config').map((c) => c.name)).toEqual([
      'Flawed: config is JSON and fromConfig rebuilds an optimizer that steps the same',
    ]);
  });

  it('names the element that departs from the rule', () => {
    expect(() => checkOptimizer(() => new Flawed('sign'), { rule: sgd })).toThrow(/p0\[0\] is .*, the rule gives/);
  });

  it('trains parameters of several shapes, so a slot shared between parameters shows', () => {
    const shared = new Momentum({ learningRate: 0.1 });
    const sharedSlot = { velocity: Tensor.zeros([1]) };
    (shared as unknown as { slotsFor: () => unknown }).slotsFor = () => sharedSlot;
    expect(() => checkOptimizer(() => shared, { rule: momentum(0.9, 'average', false) })).toThrow();
  });
});
