import { Tensor } from '@mnist/tensor';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../config-error.js';
import { LeakyReLU } from './leaky-relu.js';

describe('LeakyReLU', () => {
  it('computes x for x > 0 and slope·x otherwise, with a default slope of 0.01', () => {
    const x = Tensor.fromArray([[-200, -1, 0, 3]]);
    expect(new LeakyReLU().forward(x).toArray()).toEqual([[-2, Math.fround(-0.01), 0, 3]]);
    expect(new LeakyReLU({ slope: 0.25 }).forward(x).toArray()).toEqual([[-50, -0.25, 0, 3]]);
  });

  it('passes dy where x > 0 and slope·dy elsewhere, including at x = 0', () => {
    const layer = new LeakyReLU({ slope: 0.5 });
    layer.forward(Tensor.fromArray([[-2, 0, 3]]));
    expect(layer.backward(Tensor.fromArray([[4, 6, 8]])).toArray()).toEqual([[2, 3, 8]]);
  });

  it('saves its slope, rebuilds from it and rejects a non-finite one', () => {
    const layer = new LeakyReLU({ slope: 0.2 });
    expect(layer.config()).toEqual({ slope: 0.2 });
    expect(layer.params()).toEqual([]);
    expect(LeakyReLU.fromConfig({ slope: 0.2 }).slope).toBe(0.2);
    expect(() => LeakyReLU.fromConfig({})).toThrow(ConfigError);
    expect(() => new LeakyReLU({ slope: Number.NaN })).toThrow(
      new RangeError('LeakyReLU: slope must be a finite number, found NaN'),
    );
  });
});
