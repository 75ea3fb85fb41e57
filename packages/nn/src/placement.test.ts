import { type Backend, createWasmBackend, jsBackend, Random, randomNormal, setBackend, Tensor } from '@mnist/tensor';
import { afterEach, describe, expect, it } from 'vitest';
import { BatchNorm, Conv2D, Dense, Dropout, Flatten, MaxPool2D, Momentum, ReLU, Sequential, Softmax } from './index.js';

/** A reference backend, under its own name, that counts its kernel calls and the arrays it allocates. */
function tracing(name: string): Backend & { calls: number; allocated: Set<Float32Array> } {
  const traced = { ...jsBackend, name, calls: 0, allocated: new Set<Float32Array>() } as Backend & {
    calls: number;
    allocated: Set<Float32Array>;
  };
  for (const [key, kernel] of Object.entries(jsBackend)) {
    if (typeof kernel !== 'function') continue;
    (traced as unknown as Record<string, unknown>)[key] = (...args: unknown[]) => {
      traced.calls++;
      return (kernel as (...a: unknown[]) => unknown)(...args);
    };
  }
  traced.allocate = (length: number) => {
    const array = new Float32Array(length);
    traced.allocated.add(array);
    return array;
  };
  return traced;
}

function convNet(): Sequential {
  return new Sequential(
    [
      new Conv2D(1, 4, 3, { padding: 1 }),
      new BatchNorm(4),
      new ReLU(),
      new MaxPool2D(2),
      new Flatten(),
      new Dense(4 * 4 * 4, 10),
      new Dropout(0.2),
      new Softmax(),
    ],
    { seed: 3 },
  );
}

const images = randomNormal([6, 1, 8, 8], new Random(1));
const labels = Uint8Array.from([0, 1, 2, 3, 4, 5]);

let restore: Backend | undefined;
afterEach(() => {
  if (restore) setBackend(restore);
  restore = undefined;
});

describe('placing a model on a backend', () => {
  it('builds a model in ordinary memory without running a kernel of the current backend', () => {
    const current = tracing('current');
    restore = setBackend(current);
    const model = convNet();
    expect(current.calls).toBe(0);
    expect(model.backend).toBeUndefined();
    for (const p of model.params()) expect(p.value.backend).toBeUndefined();
  });

  it('moves parameters, gradients and state in one call, and runs every op of a training step there', async () => {
    const current = tracing('current');
    const home = tracing('home');
    restore = setBackend(current);
    const model = convNet();
    expect(model.to(home)).toBe(model);
    expect(model.backend).toBe(home);
    for (const t of [...model.params().flatMap((p) => [p.value, p.grad]), ...model.state().map((s) => s.value)]) {
      expect(t.backend).toBe(home);
      expect(home.allocated.has(t.data)).toBe(true);
    }
    model.compile({ loss: 'categoricalCrossEntropy', optimizer: new Momentum({ learningRate: 0.1 }) });
    await model.fit(images, labels, { epochs: 1, batchSize: 3 });
    expect(home.calls).toBeGreaterThan(0);
    expect(current.calls).toBe(0);
    expect(model.predict(images).backend).toBeUndefined(); // a result copied out for the caller
  });

  it('trains to the same bits whether or not it was placed, and whatever backend was current when it was built', async () => {
    const weights = async (place: boolean) => {
      const model = convNet();
      if (place) model.to(tracing('home'));
      model.compile({ loss: 'categoricalCrossEntropy', optimizer: new Momentum({ learningRate: 0.1 }) });
      await model.fit(images, labels, { epochs: 2, batchSize: 3 });
      return model.params().map((p) => Array.from(p.value.data));
    };
    restore = setBackend(jsBackend);
    const unplaced = await weights(false);
    setBackend(tracing('other'));
    expect(await weights(true)).toEqual(unplaced);
  });

  it('places a layer added after the move, and moves optimizer slots after their parameters', async () => {
    const home = tracing('home');
    const model = new Sequential([new Dense(4, 3)], { seed: 1 }).to(home);
    model.add(new Dense(3, 2));
    expect(model.params().every((p) => p.value.backend === home && p.grad.backend === home)).toBe(true);
    const optimizer = new Momentum({ learningRate: 0.1 });
    model.compile({ loss: 'meanSquaredError', optimizer });
    const x = Tensor.ones([2, 4]);
    const y = Tensor.zeros([2, 2]);
    await model.fit(x, y, { epochs: 1, batchSize: 2 });
    model.to(undefined);
    await model.fit(x, y, { epochs: 1, batchSize: 2 });
    const velocity = optimizer.state().slots['0.weight']?.velocity;
    expect(velocity).toBeInstanceOf(Float32Array);
    expect(model.params().every((p) => p.value.backend === undefined)).toBe(true);
  });

  it('puts a model on the wasm-simd backend into its own memory', () => {
    const wasm = createWasmBackend({ threads: 1 });
    try {
      if (wasm.allocate === undefined) return; // no shared memory here: nothing to place into
      const model = convNet().to(wasm);
      const y = model.forward(images);
      expect(y.backend).toBe(wasm);
      expect(model.params()[0].value.data.buffer).toBeInstanceOf(SharedArrayBuffer);
    } finally {
      wasm.dispose();
    }
  });
});
