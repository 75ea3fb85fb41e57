import { Random, randomUniform } from '@mnist/tensor';
import { describe, expect, it } from 'vitest';
import { cnn, mlp } from './architectures.js';
import { modelFromTensors, tensorsOf } from './model-from-tensors.js';

describe('modelFromTensors', () => {
  it('rebuilds the MLP bit for bit: the same file, the same outputs', () => {
    const original = mlp(3);
    const rebuilt = modelFromTensors('mlp', tensorsOf(original));
    expect(JSON.stringify(rebuilt.save())).toBe(JSON.stringify(original.save()));
    const x = randomUniform([4, 784], new Random(1));
    expect(Array.from(rebuilt.predict(x).data)).toEqual(Array.from(original.predict(x).data));
  });

  it('carries the CNN’s batch-norm statistics, which are state, not parameters', () => {
    const original = cnn(3);
    const tensors = tensorsOf(original);
    const mean = tensors.find((t) => t.name === '1.runningMean');
    expect(mean?.shape).toEqual([16]);
    mean?.data.fill(0.25);
    expect(Array.from(modelFromTensors('cnn', tensors).state()[0].value.data)).toEqual(new Array(16).fill(0.25));
  });

  it('refuses tensors of another architecture', () => {
    expect(() => modelFromTensors('cnn', tensorsOf(mlp(1)))).toThrow(/the cnn has \d+ tensors, found 6/);
  });
});
