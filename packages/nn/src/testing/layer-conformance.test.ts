import { type Random, randomUniform, type Shape, Tensor } from '@mnist/tensor';
import { describe, expect, it } from 'vitest';
import * as nn from '../index.js';
import {
  AvgPool2D,
  BatchNorm,
  Conv2D,
  Dense,
  Dropout,
  Flatten,
  GELU,
  type Initializer,
  type Layer,
  type LayerConfig,
  LayerStateError,
  LeakyReLU,
  MaxPool2D,
  ReLU,
  Sequential,
  Sigmoid,
  Softmax,
  Tanh,
} from '../index.js';
import { checkLayer, type LayerCheckOptions, layerConformanceCases } from './index.js';

/** A built-in layer class and the configurations the conformance suite runs it in. */
interface Subject {
  readonly cls: abstract new (...args: never[]) => Layer;
  readonly label: string;
  readonly create: () => Layer;
  readonly options: LayerCheckOptions;
}

const initializers: readonly Initializer[] = ['he', 'glorot', 'lecun', 'zeros'];

const subjects: readonly Subject[] = [
  ...initializers.flatMap((initializer): Subject[] =>
    [true, false].map((useBias) => ({
      cls: Dense,
      label: `Dense(5, 3, ${initializer}, ${useBias ? 'bias' : 'no bias'})`,
      create: () => new Dense(5, 3, { initializer, useBias, seed: 3 }),
      options: { inputShape: [4, 5] },
    })),
  ),
  { cls: ReLU, label: 'ReLU on [4, 6]', create: () => new ReLU(), options: { inputShape: [4, 6] } },
  { cls: ReLU, label: 'ReLU on [2, 3, 2, 2]', create: () => new ReLU(), options: { inputShape: [2, 3, 2, 2] } },
  { cls: Softmax, label: 'Softmax on [4, 5]', create: () => new Softmax(), options: { inputShape: [4, 5] } },
  { cls: LeakyReLU, label: 'LeakyReLU on [4, 6]', create: () => new LeakyReLU(), options: { inputShape: [4, 6] } },
  {
    cls: LeakyReLU,
    label: 'LeakyReLU(slope 0.2) on [2, 3, 4]',
    create: () => new LeakyReLU({ slope: 0.2 }),
    options: { inputShape: [2, 3, 4] },
  },
  { cls: Sigmoid, label: 'Sigmoid on [4, 6]', create: () => new Sigmoid(), options: { inputShape: [4, 6] } },
  { cls: Tanh, label: 'Tanh on [2, 3, 4]', create: () => new Tanh(), options: { inputShape: [2, 3, 4] } },
  { cls: GELU, label: 'GELU on [4, 6]', create: () => new GELU(), options: { inputShape: [4, 6] } },
  {
    cls: Flatten,
    label: 'Flatten on [2, 3, 2, 2]',
    create: () => new Flatten(),
    options: { inputShape: [2, 3, 2, 2] },
  },
  { cls: Flatten, label: 'Flatten on [4, 5]', create: () => new Flatten(), options: { inputShape: [4, 5] } },
  {
    cls: Dropout,
    // Inference mode, the harness's default context: the identity. Training is tested in layers/dropout.test.ts.
    label: 'Dropout(0.5) on [4, 6], inference',
    create: () => new Dropout(0.5),
    options: { inputShape: [4, 6] },
  },
  {
    cls: Conv2D,
    label: 'Conv2D(2, 3, 3) on [2, 2, 5, 5]',
    create: () => new Conv2D(2, 3, 3, { seed: 3 }),
    options: { inputShape: [2, 2, 5, 5] },
  },
  {
    cls: Conv2D,
    label: 'Conv2D(2, 2, 2, stride 2, padding 1, glorot, no bias) on [2, 2, 5, 5]',
    create: () => new Conv2D(2, 2, 2, { stride: 2, padding: 1, initializer: 'glorot', useBias: false, seed: 5 }),
    options: { inputShape: [2, 2, 5, 5] },
  },
  {
    cls: Conv2D,
    label: 'Conv2D(1, 2, 3, padding 1, stride 2) on [3, 1, 6, 4]',
    create: () => new Conv2D(1, 2, 3, { padding: 1, stride: 2, seed: 7 }),
    options: { inputShape: [3, 1, 6, 4] },
  },
  // The default input draws distinct values, so no window has a tie that a finite difference could flip.
  {
    cls: MaxPool2D,
    label: 'MaxPool2D(2) on [2, 2, 5, 5]',
    create: () => new MaxPool2D(2),
    options: { inputShape: [2, 2, 5, 5] },
  },
  {
    cls: MaxPool2D,
    label: 'MaxPool2D(3, stride 1, padding 1) on [2, 2, 5, 5]',
    create: () => new MaxPool2D(3, { stride: 1, padding: 1 }),
    options: { inputShape: [2, 2, 5, 5] },
  },
  {
    cls: AvgPool2D,
    label: 'AvgPool2D(2) on [2, 2, 5, 5]',
    create: () => new AvgPool2D(2),
    options: { inputShape: [2, 2, 5, 5] },
  },
  {
    cls: AvgPool2D,
    label: 'AvgPool2D(3, stride 2, padding 1) on [2, 2, 5, 5]',
    create: () => new AvgPool2D(3, { stride: 2, padding: 1 }),
    options: { inputShape: [2, 2, 5, 5] },
  },
  {
    cls: Sequential,
    label: 'Sequential(Conv2D, ReLU, MaxPool2D, Flatten, Dense, Softmax)',
    create: () =>
      new Sequential(
        [
          new Conv2D(1, 2, 3, { padding: 1 }),
          new ReLU(),
          new MaxPool2D(2),
          new Flatten(),
          new Dense(8, 3),
          new Softmax(),
        ],
        {
          seed: 4,
        },
      ),
    options: { inputShape: [2, 1, 4, 4] },
  },
  // Inference mode (the harness's default) normalises with running statistics, set away from their initial 0 and 1 so
  // that the save → load case shows they are restored; training mode normalises with the batch's statistics.
  ...(['inference', 'training'] as const).flatMap((mode): Subject[] =>
    [
      { label: '[6, 3]', shape: [6, 3] },
      { label: '[2, 3, 2, 2]', shape: [2, 3, 2, 2] },
    ].map(({ label, shape }) => ({
      cls: BatchNorm,
      label: `BatchNorm(3) on ${label}, ${mode}`,
      create: () => {
        const layer = new BatchNorm(3);
        layer.weight.value.data.set([1.5, -0.5, 2]);
        layer.bias.value.data.set([0.1, -0.2, 0.3]);
        layer.runningMean.data.set([0.2, -0.1, 0]);
        layer.runningVar.data.set([0.5, 2, 1.2]);
        return layer;
      },
      options: { inputShape: shape, ...(mode === 'training' ? { context: () => ({ training: true }) } : {}) },
    })),
  ),
  {
    cls: Sequential,
    label: 'Sequential(Dense, ReLU, Dense, Softmax)',
    // Seed 4 keeps every hidden pre-activation of the test input ≥ 0.04 from ReLU's kink, well beyond the finite
    // difference's step (other seeds put one within 0.001 of it, where any finite difference is wrong).
    create: () => new Sequential([new Dense(5, 8), new ReLU(), new Dense(8, 3), new Softmax()], { seed: 4 }),
    options: { inputShape: [4, 5] },
  },
  {
    cls: Sequential,
    label: 'Sequential(Flatten, Dense, GELU, Dropout, Dense, Tanh)',
    create: () =>
      new Sequential([new Flatten(), new Dense(6, 5), new GELU(), new Dropout(0.2), new Dense(5, 3), new Tanh()], {
        seed: 2,
      }),
    options: { inputShape: [4, 2, 3] },
  },
];

for (const subject of subjects) {
  describe(`conformance: ${subject.label}`, () => {
    for (const c of layerConformanceCases(subject.create, subject.options)) it(c.name, c.run);
  });
}

describe('conformance coverage', () => {
  it('runs the conformance suite on every layer class that @mnist/nn exports', () => {
    const exported = Object.entries(nn)
      .filter(([, value]) => {
        if (typeof value !== 'function') return false;
        const cls = value as { prototype?: { forward?: unknown; backward?: unknown }; type?: unknown };
        return (
          typeof cls.prototype?.forward === 'function' &&
          typeof cls.prototype?.backward === 'function' &&
          typeof cls.type === 'string'
        );
      })
      .map(([name]) => name)
      .sort();
    const covered = [...new Set(subjects.map((s) => s.cls.name))].sort();
    expect(exported).toContain('Dense'); // the filter finds layers at all
    expect(exported).not.toContain('CrossEntropy'); // a loss has forward/backward but is not a layer
    expect(covered).toEqual(exported);
    for (const s of subjects) expect(s.create()).toBeInstanceOf(s.cls);
  });
});

/** `y = x ⊙ s` with one trainable factor per feature: a custom layer to break in controlled ways. */
class Scale implements Layer {
  static readonly type = 'acme/Scale';
  readonly type = Scale.type;
  readonly scale: nn.Param;
  protected input: Tensor | undefined;

  constructor(readonly size: number) {
    this.scale = nn.createParam('scale', [size]);
    for (let j = 0; j < size; j++) this.scale.value.data[j] = 0.5 + j;
  }

  static fromConfig(config: LayerConfig): Scale {
    return new Scale(config.size as number);
  }

  forward(x: Tensor): Tensor {
    this.input = x;
    const y = x.clone();
    for (let i = 0; i < y.size; i++) y.data[i] *= this.scale.value.data[i % this.size];
    return y;
  }

  backward(dy: Tensor): Tensor {
    const x = this.input;
    if (!x) throw new LayerStateError(this.type, 'backward called before forward');
    const dx = dy.clone();
    for (let i = 0; i < dy.size; i++) {
      this.scale.grad.data[i % this.size] += dy.data[i] * x.data[i];
      dx.data[i] *= this.scale.value.data[i % this.size];
    }
    return dx;
  }

  params(): nn.Param[] {
    return [this.scale];
  }

  config(): LayerConfig {
    return { size: this.size };
  }

  outputShape(inputShape: Shape): Shape {
    return inputShape;
  }
}

function failingCases(create: () => Layer): string[] {
  const failed: string[] = [];
  for (const c of layerConformanceCases(create, { inputShape: [4, 3] })) {
    try {
      c.run();
    } catch {
      failed.push(c.name);
    }
  }
  return failed;
}

describe('layerConformanceCases on custom layers', () => {
  it('passes a correct custom layer, naming every case after its type', () => {
    const cases = layerConformanceCases(() => new Scale(3), { inputShape: [4, 3] });
    expect(cases.map((c) => c.name)).toEqual([
      'acme/Scale: forward gives outputShape(inputShape)',
      'acme/Scale: backward before forward throws LayerStateError',
      'acme/Scale: gradients match finite differences',
      'acme/Scale: parameter gradients accumulate until zeroGrad',
      'acme/Scale: config is JSON and fromConfig rebuilds the layer',
      'acme/Scale: save → load inside a Sequential predicts the same',
    ]);
    expect(failingCases(() => new Scale(3))).toEqual([]);
    expect(() => checkLayer(() => new Scale(3), { inputShape: [4, 3] })).not.toThrow();
  });

  it('fails a layer whose backward returns twice the right dx', () => {
    class DoubleDx extends Scale {
      override backward(dy: Tensor): Tensor {
        const dx = super.backward(dy);
        for (let i = 0; i < dx.size; i++) dx.data[i] *= 2;
        return dx;
      }
    }
    expect(failingCases(() => new DoubleDx(3))).toEqual(['acme/Scale: gradients match finite differences']);
  });

  it('fails a layer whose gradients overwrite instead of accumulating', () => {
    class Overwrites extends Scale {
      override backward(dy: Tensor): Tensor {
        this.scale.grad.fill(0);
        return super.backward(dy);
      }
    }
    expect(failingCases(() => new Overwrites(3))).toEqual([
      'acme/Scale: parameter gradients accumulate until zeroGrad',
    ]);
  });

  it('fails a layer whose outputShape disagrees with forward', () => {
    class WrongShape extends Scale {
      override outputShape(inputShape: Shape): Shape {
        return [inputShape[0], inputShape[1] + 1];
      }
    }
    expect(failingCases(() => new WrongShape(3))).toEqual(['acme/Scale: forward gives outputShape(inputShape)']);
  });

  it('fails a layer whose backward before forward does not throw LayerStateError', () => {
    class NoStateCheck extends Scale {
      override backward(dy: Tensor): Tensor {
        this.input ??= Tensor.zeros(dy.shape);
        return super.backward(dy);
      }
    }
    expect(failingCases(() => new NoStateCheck(3))).toEqual([
      'acme/Scale: backward before forward throws LayerStateError',
    ]);
  });

  it('fails a layer whose config loses what rebuilds it', () => {
    class Forgetful extends Scale {
      static override fromConfig(): Scale {
        return new Forgetful(4);
      }
    }
    const failed = failingCases(() => new Forgetful(3));
    expect(failed).toContain('acme/Scale: config is JSON and fromConfig rebuilds the layer');
    expect(failed).toContain('acme/Scale: save → load inside a Sequential predicts the same');
  });

  it('checkLayer throws one error listing every failing case', () => {
    class Broken extends Scale {
      override backward(dy: Tensor): Tensor {
        const dx = super.backward(dy);
        this.scale.grad.fill(0);
        return dx;
      }
    }
    const error = (() => {
      try {
        checkLayer(() => new Broken(3), { inputShape: [4, 3] });
      } catch (e) {
        return e as Error;
      }
      throw new Error('checkLayer passed a broken layer');
    })();
    expect(error.message).toContain('layer check failed');
    expect(error.message).toContain('gradients match finite differences');
    expect(error.message).toContain('scale[');
  });

  it('uses the given input generator', () => {
    let calls = 0;
    const input = (rng: Random) => {
      calls++;
      return randomUniform([2, 3], rng, 0.5, 1);
    };
    for (const c of layerConformanceCases(() => new Scale(3), { inputShape: [2, 3], input })) c.run();
    expect(calls).toBeGreaterThan(0);
  });
});
