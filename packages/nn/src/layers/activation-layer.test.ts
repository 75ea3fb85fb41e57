import { Random, randomUniform, scale, type Tensor, tanh, tanhBackward } from '@mnist/tensor';
import { describe, expect, it } from 'vitest';
import { LayerStateError } from '../layer.js';
import { Sequential } from '../sequential.js';
import { loadModel } from '../serialization/load.js';
import { checkLayer } from '../testing/layer-conformance.js';
import { ActivationLayer } from './activation-layer.js';

/** The example of ActivationLayer's TSDoc: `y = 2σ(x) − 1 = tanh(x/2)`, `∂y/∂x = (1 − y²)/2`. */
class BipolarSigmoid extends ActivationLayer {
  static readonly type = 'acme/BipolarSigmoid';
  readonly type = BipolarSigmoid.type;
  static fromConfig(): BipolarSigmoid {
    return new BipolarSigmoid();
  }
  protected forwardInto(x: Tensor, y: Tensor): Tensor {
    return tanh(scale(x, 0.5, y), y); // y = x/2, then tanh in place
  }
  protected backwardInto(_x: Tensor, y: Tensor, dy: Tensor, dx: Tensor): Tensor {
    return scale(tanhBackward(y, dy, dx), 0.5, dx);
  }
}

describe('ActivationLayer', () => {
  it('turns two ops into a layer that passes the conformance suite, as in its documentation', () => {
    expect(() => checkLayer(() => new BipolarSigmoid(), { inputShape: [4, 3] })).not.toThrow();
    const y = new BipolarSigmoid().forward(randomUniform([2, 2], new Random(1), -1, 1));
    for (const v of y.data) expect(Math.abs(v)).toBeLessThan(1);
  });

  it('reuses its output and gradient buffers while the shape is unchanged, and leaves the input alone', () => {
    const layer = new BipolarSigmoid();
    const x = randomUniform([3, 4], new Random(2), -1, 1);
    const before = x.clone();
    const y = layer.forward(x);
    expect(layer.forward(x)).toBe(y);
    expect(x.equals(before)).toBe(true);
    const dx = layer.backward(y);
    expect(layer.backward(y)).toBe(dx);
    expect(layer.forward(randomUniform([5, 4], new Random(3)))).not.toBe(y);
  });

  it('throws LayerStateError naming the layer before forward and for a dy of another shape', () => {
    expect(() => new BipolarSigmoid().backward(randomUniform([2, 3], new Random(1)))).toThrow(
      new LayerStateError('acme/BipolarSigmoid', 'backward called before forward'),
    );
    const layer = new BipolarSigmoid();
    layer.forward(randomUniform([2, 3], new Random(1)));
    expect(() => layer.backward(randomUniform([3, 2], new Random(1)))).toThrow(
      'acme/BipolarSigmoid: dy has shape [3, 2] but the last input was [2, 3]',
    );
  });

  it('has no parameters, an empty config and the input’s shape, and loads as a custom layer', () => {
    const layer = new BipolarSigmoid();
    expect([layer.params(), layer.config(), layer.outputShape([-1, 7])]).toEqual([[], {}, [-1, 7]]);
    const text = JSON.stringify(new Sequential([layer]).save());
    expect(loadModel(text, { layers: { [BipolarSigmoid.type]: BipolarSigmoid } }).layers[0]).toBeInstanceOf(
      BipolarSigmoid,
    );
  });
});
