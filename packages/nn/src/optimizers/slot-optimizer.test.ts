import { describe, expect, it } from 'vitest';
import { createParam, type Param } from '../param.js';
import { Adam } from './adam.js';
import { clipGradNorm } from './clip-grad-norm.js';
import { Momentum } from './momentum.js';
import { SGD } from './sgd.js';

function param(name: string, value: number[], grad: number[]): Param {
  const p = createParam(name, [value.length]);
  p.value.data.set(value);
  p.grad.data.set(grad);
  return p;
}

describe('SlotOptimizer gradientClipNorm', () => {
  it('clips the gradients by their global norm before the update, leaving the clipped values in grad', () => {
    // ‖g‖ = √(3² + 4²) = 5 over the two parameters; clipped to norm 1: g = [0.6], [0.8]. θ ← θ − 0.5·g.
    const [a, b] = [param('a', [1], [3]), param('b', [1], [4])];
    new SGD({ learningRate: 0.5, gradientClipNorm: 1 }).step([a, b]);
    expect([a.value.data[0], b.value.data[0]]).toEqual([Math.fround(1 - 0.3), Math.fround(1 - 0.4)]);
    expect([a.grad.data[0], b.grad.data[0]]).toEqual([Math.fround(0.6), Math.fround(0.8)]);
  });

  it('does nothing to gradients within the norm', () => {
    const p = param('w', [1, 1], [0.3, 0.4]);
    new SGD({ learningRate: 1, gradientClipNorm: 0.5 }).step([p]);
    expect(Array.from(p.value.data)).toEqual([Math.fround(0.7), Math.fround(0.6)]);
  });

  it('is clipGradNorm followed by the unclipped update, bit for bit', () => {
    const make = () => [param('a', [1, -1], [2, -3]), param('b', [0.5], [6])];
    const clipped = make();
    const byHand = make();
    const withOption = new Adam({ learningRate: 0.1, gradientClipNorm: 2 });
    const without = new Adam({ learningRate: 0.1 });
    for (let t = 0; t < 3; t++) {
      withOption.step(clipped);
      clipGradNorm(byHand, 2);
      without.step(byHand);
      const fresh = make();
      for (const ps of [clipped, byHand]) {
        ps.forEach((p, i) => {
          p.grad.data.set(fresh[i].grad.data);
        });
      }
    }
    clipped.forEach((p, i) => {
      expect(p.value.equals(byHand[i].value)).toBe(true);
    });
  });

  it('is saved in the config only when set, and old configs without it load unclipped', () => {
    expect(new SGD().config()).toEqual({ learningRate: 0.01 });
    const clipped = new Momentum({ gradientClipNorm: 1.5 });
    expect(clipped.config()).toEqual({
      learningRate: 0.1,
      momentum: 0.9,
      form: 'average',
      nesterov: false,
      gradientClipNorm: 1.5,
    });
    expect(Momentum.fromConfig(clipped.config()).gradientClipNorm).toBe(1.5);
    expect(SGD.fromConfig({ learningRate: 0.1 }).gradientClipNorm).toBeUndefined();
    expect(() => SGD.fromConfig({ learningRate: 0.1, gradientClipNorm: 'big' })).toThrow(
      `SGD config: 'gradientClipNorm' must be a finite number, found "big"`,
    );
    expect(() => SGD.fromConfig({ learningRate: 0.1, gradientClipNorm: -1 })).toThrow(
      new RangeError('SGD: gradientClipNorm must be a finite number > 0, found -1'),
    );
  });
});
