import { loadModel, Sequential } from '@mnist/nn';
import { layerConformanceCases } from '@mnist/nn/testing';
import { Random, randomNormal, Tensor } from '@mnist/tensor';
import { describe, expect, it } from 'vitest';
import { Scale } from './scale.js';
import { trainScaledClassifier } from './train.js';

describe('acme/Scale passes the layer conformance harness', () => {
  const scaled = () => {
    const layer = new Scale(5);
    new Random(3).fillUniform(layer.scale.value.data, 0.5, 2);
    return layer;
  };
  for (const c of layerConformanceCases(scaled, { inputShape: [4, 5] })) it(c.name, c.run);
});

describe('acme/Scale in a model', () => {
  it('trains, saves and reloads with the class passed to load', async () => {
    const { model, accuracy, x } = await trainScaledClassifier({ seed: 7, epochs: 60 });
    expect(accuracy).toBeGreaterThan(0.9);
    const text = JSON.stringify(model.save());
    const restored = loadModel(text, { layers: { [Scale.type]: Scale } });
    expect(restored.predict(x).equals(model.predict(x))).toBe(true);
    expect(JSON.stringify(restored.save())).toBe(text);
    // The learned scale is not the initial all-ones vector: the layer took part in training.
    const learned = (restored.layers[0] as Scale).scale.value;
    expect(learned.equals(Tensor.ones([2]))).toBe(false);
  });

  it('cannot load without being told about the class', async () => {
    const { model } = await trainScaledClassifier({ seed: 7, epochs: 1 });
    expect(() => loadModel(model.save())).toThrow(/unknown layer type 'acme\/Scale'; known types: Dense/);
  });

  it('scales each feature', () => {
    const layer = new Scale(2);
    layer.scale.value.data.set([2, -1]);
    expect(layer.forward(Tensor.fromArray([[1, 3]])).toArray()).toEqual([[2, -3]]);
    expect(layer.forward(randomNormal([3, 2], new Random(1))).shape).toEqual([3, 2]);
  });
});
