import { Random, randomNormal, Tensor } from '@mnist/tensor';
import { describe, expect, it } from 'vitest';
import {
  CrossEntropy,
  Dense,
  LayerStateError,
  MeanSquaredError,
  Momentum,
  ReLU,
  Sequential,
  SGD,
  Softmax,
} from './index.js';

function mnistMlp(seed = 42): Sequential {
  return new Sequential(
    [new Dense(784, 128), new ReLU(), new Dense(128, 64), new ReLU(), new Dense(64, 10), new Softmax()],
    { seed },
  );
}

describe('Sequential construction', () => {
  it('takes layers in the constructor or through add, which returns the model', () => {
    const dense = new Dense(3, 4);
    const relu = new ReLU();
    const model = new Sequential();
    expect(model.layers).toEqual([]);
    expect(model.add(dense)).toBe(model);
    model.add(relu).add(new Dense(4, 2));
    expect(model.layers.length).toBe(3);
    expect(model.layers[0]).toBe(dense);
    expect(model.layers[1]).toBe(relu);
    expect(new Sequential([dense, relu]).layers).toEqual([dense, relu]);
  });

  it('rejects something that is not a layer', () => {
    expect(() => new Sequential().add({} as never)).toThrow(
      new TypeError('Sequential.add: expected a Layer, found object'),
    );
    expect(() => new Sequential().add(null as never)).toThrow('found null');
  });

  it('with a seed, re-initialises every layer so the seed alone fixes the weights', () => {
    const a = new Sequential([new Dense(3, 4, { seed: 1 }), new ReLU(), new Dense(4, 2, { seed: 2 })], { seed: 9 });
    const b = new Sequential([new Dense(3, 4, { seed: 7 }), new ReLU(), new Dense(4, 2, { seed: 8 })], { seed: 9 });
    a.params().forEach((p, i) => {
      expect(p.value.equals(b.params()[i].value)).toBe(true);
    });
    const c = new Sequential([new Dense(3, 4), new ReLU(), new Dense(4, 2)], { seed: 10 });
    expect(c.params()[0].value.equals(a.params()[0].value)).toBe(false);
  });

  it('without a seed, keeps the weights the layers were built with', () => {
    const dense = new Dense(3, 4, { seed: 5 });
    const before = dense.weight.value.clone();
    new Sequential([dense]);
    expect(dense.weight.value.equals(before)).toBe(true);
  });
});

describe('Sequential parameters', () => {
  it('names parameters by layer index and returns the same objects on every call', () => {
    const model = new Sequential([new Dense(3, 4), new ReLU(), new Dense(4, 2, { useBias: false })]);
    const params = model.params();
    expect(params.map((p) => p.name)).toEqual(['0.weight', '0.bias', '2.weight']);
    expect(model.params()).toBe(params);
    params.forEach((p, i) => {
      expect(model.params()[i]).toBe(p);
    });
    const dense = model.layers[0] as Dense;
    expect(params[0].value).toBe(dense.weight.value);
    expect(params[0].grad).toBe(dense.weight.grad);
    expect(model.parameterCount()).toBe(3 * 4 + 4 + 4 * 2);
  });

  it('lists the parameters of a layer added later', () => {
    const model = new Sequential([new Dense(3, 4)]);
    model.params();
    model.add(new ReLU()).add(new Dense(4, 1));
    expect(model.params().map((p) => p.name)).toEqual(['0.weight', '0.bias', '2.weight', '2.bias']);
  });

  it('prefixes nested models’ names', () => {
    const model = new Sequential([new Sequential([new Dense(2, 2)]), new Dense(2, 1)]);
    expect(model.params().map((p) => p.name)).toEqual(['0.0.weight', '0.0.bias', '1.weight', '1.bias']);
  });

  it('zeroGrad clears every gradient', () => {
    const model = new Sequential([new Dense(3, 2), new Softmax()], { seed: 1 });
    model.forward(randomNormal([2, 3], new Random(2)));
    model.backward(
      Tensor.fromArray([
        [1, 0],
        [0, 1],
      ]),
    );
    expect(model.params().some((p) => p.grad.data.some((v) => v !== 0))).toBe(true);
    model.zeroGrad();
    expect(model.params().every((p) => p.grad.data.every((v) => v === 0))).toBe(true);
  });
});

describe('Sequential as a layer', () => {
  it('forward runs every layer in order', () => {
    const model = new Sequential([new Dense(2, 2, { useBias: false }), new ReLU()]);
    (model.layers[0] as Dense).weight.value.data.set([1, -1, 2, 1]); // W = [[1, −1], [2, 1]]
    // [1, 1]·W = [3, 0]; [1, −1]·W = [−1, −2] → ReLU → [0, 0]
    expect(
      model
        .forward(
          Tensor.fromArray([
            [1, 1],
            [1, -1],
          ]),
        )
        .toArray(),
    ).toEqual([
      [3, 0],
      [0, 0],
    ]);
  });

  it('backward before forward throws LayerStateError', () => {
    expect(() => new Sequential([new Dense(2, 2)]).backward(Tensor.zeros([1, 2]))).toThrow(LayerStateError);
  });

  it('outputShape follows every layer', () => {
    const model = mnistMlp();
    expect(model.outputShape([-1, 784])).toEqual([-1, 10]);
    expect(model.outputShape([32, 784])).toEqual([32, 10]);
    expect(() => model.outputShape([32, 100])).toThrow(/\[batch, 784\]/);
  });

  it('config lists each layer’s type and config', () => {
    expect(new Sequential([new Dense(2, 3, { initializer: 'glorot' }), new ReLU()]).config()).toEqual({
      layers: [
        { type: 'Dense', config: { inputSize: 2, outputSize: 3, initializer: 'glorot', useBias: true, l2: 0 } },
        { type: 'ReLU', config: {} },
      ],
    });
  });
});

describe('Sequential.summary', () => {
  it('lists each layer with its output shape and parameter count, and the total (109,386 for the MNIST MLP)', () => {
    // 784·128 + 128 + 128·64 + 64 + 64·10 + 10 = 100,480 + 8,256 + 650
    const model = mnistMlp();
    expect(model.parameterCount()).toBe(109_386);
    const lines = model.summary().split('\n');
    expect(lines).toHaveLength(10); // header, rule, six layers, rule, total
    expect(lines[0]).toMatch(/^#\s+layer\s+output shape\s+parameters$/);
    expect(lines[1]).toMatch(/^─+$/);
    const rows = lines.slice(2, 8).map((line) => line.trim().split(/\s{2,}/));
    expect(rows).toEqual([
      ['0', 'Dense', '[batch, 128]', '100,480'],
      ['1', 'ReLU', '[batch, 128]', '0'],
      ['2', 'Dense', '[batch, 64]', '8,256'],
      ['3', 'ReLU', '[batch, 64]', '0'],
      ['4', 'Dense', '[batch, 10]', '650'],
      ['5', 'Softmax', '[batch, 10]', '0'],
    ]);
    expect(lines[9]).toBe('total parameters: 109,386');
    // The parameter column is right-aligned.
    const ends = lines.slice(2, 8).map((line) => line.length);
    expect(new Set(ends).size).toBe(1);
  });

  it('needs an input shape when the first layer has no inputSize', () => {
    const model = new Sequential([new ReLU(), new Softmax()]);
    expect(() => model.summary()).toThrow(TypeError);
    expect(model.summary([-1, 5])).toContain('[batch, 5]');
  });
});

describe('Sequential.compile', () => {
  it('accepts loss names and loss instances and returns the model', () => {
    const model = mnistMlp();
    const optimizer = new SGD();
    expect(model.compile({ loss: 'categoricalCrossEntropy', optimizer })).toBe(model);
    expect(model.training.loss).toBeInstanceOf(CrossEntropy);
    expect(model.training.optimizer).toBe(optimizer);
    model.compile({ loss: 'meanSquaredError', optimizer });
    expect(model.training.loss).toBeInstanceOf(MeanSquaredError);
    const loss = new CrossEntropy();
    model.compile({ loss, optimizer });
    expect(model.training.loss).toBe(loss);
  });

  it('rejects an unknown loss name, listing the known ones', () => {
    expect(() => mnistMlp().compile({ loss: 'mse' as never, optimizer: new SGD() })).toThrow(
      new RangeError(
        "compile: unknown loss 'mse'; expected a Loss or one of categoricalCrossEntropy, meanSquaredError",
      ),
    );
  });

  it('rejects a missing optimizer', () => {
    expect(() => mnistMlp().compile({ loss: 'categoricalCrossEntropy' } as never)).toThrow(TypeError);
  });

  it('compiled() says to call compile first', () => {
    expect(() => mnistMlp().compiled('fit')).toThrow('fit: call compile({ loss, optimizer }) first');
    expect(
      mnistMlp().compile({ loss: 'meanSquaredError', optimizer: new Momentum() }).compiled('fit').loss,
    ).toBeInstanceOf(MeanSquaredError);
  });
});

describe('Sequential initialize', () => {
  it('re-draws every layer from the generator, in order', () => {
    const a = new Sequential([new Dense(3, 4), new Dense(4, 2)]);
    const b = new Sequential([new Dense(3, 4), new Dense(4, 2)], { seed: 3 });
    a.initialize(new Random(3));
    a.params().forEach((p, i) => {
      expect(p.value.equals(b.params()[i].value)).toBe(true);
    });
    const x = randomNormal([2, 3], new Random(1));
    expect(a.forward(x).equals(b.forward(x))).toBe(true);
  });
});
