import { Random, Tensor } from '@mnist/tensor';
import { describe, expect, it } from 'vitest';
import { augmentationContract, strokes } from './augmentation-contract.test-helper.js';
import { ElasticDeformation } from './elastic-deformation.js';

describe('ElasticDeformation', () => {
  augmentationContract(() => new ElasticDeformation());

  it('is the identity with alpha 0', () => {
    const x = strokes(2);
    expect(new ElasticDeformation({ alpha: 0 }).apply(x, new Random(1)).equals(x)).toBe(true);
  });

  it('deforms locally: smooth, small displacements keep most of the image', () => {
    const x = strokes(16);
    const y = new ElasticDeformation({ alpha: 34, sigma: 4 }).apply(x, new Random(2));
    let changed = 0;
    let diff = 0;
    for (let i = 0; i < x.size; i++) {
      if (Math.abs(x.data[i] - y.data[i]) > 1e-6) changed++;
      diff += Math.abs(x.data[i] - y.data[i]);
    }
    const mass = x.data.reduce((s, v) => s + v, 0);
    expect(changed).toBeGreaterThan(0);
    expect(diff / mass).toBeLessThan(1); // the strokes move, they are not scrambled
    // A larger alpha deforms more.
    const z = new ElasticDeformation({ alpha: 100, sigma: 4 }).apply(x, new Random(2));
    let diffZ = 0;
    for (let i = 0; i < x.size; i++) diffZ += Math.abs(x.data[i] - z.data[i]);
    expect(diffZ).toBeGreaterThan(diff);
  });

  it('smooths each field with the separable Gaussian, as a direct convolution would', () => {
    const sigma = 2;
    const alpha = 5;
    const elastic = new ElasticDeformation({ alpha, sigma });
    const [count, height, width] = [3, 9, 7];
    const internals = elastic as unknown as {
      displacementFields(count: number, height: number, width: number, rng: Random): void;
      noise: Float32Array;
      displacement: Float32Array;
    };
    internals.displacementFields(count, height, width, new Random(4));
    const fields = 2 * count;
    // The reference: a 2-D convolution with the truncated, normalised Gaussian, zero outside the image.
    const radius = Math.ceil(3 * sigma);
    const g = Array.from({ length: 2 * radius + 1 }, (_, k) => Math.exp(-((k - radius) ** 2) / (2 * sigma * sigma)));
    const total = g.reduce((a, b) => a + b, 0);
    const weight = (d: number) => (Math.abs(d) <= radius ? g[d + radius] / total : 0);
    let worst = 0;
    for (let f = 0; f < fields; f++) {
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
          let sum = 0;
          for (let v = 0; v < height; v++) {
            for (let u = 0; u < width; u++)
              sum += weight(y - v) * weight(x - u) * internals.noise[(v * fields + f) * width + u];
          }
          const found = internals.displacement[y * fields * width + f * width + x];
          worst = Math.max(worst, Math.abs(found - alpha * sum));
        }
      }
    }
    expect(worst).toBeLessThan(1e-5);
    expect(internals.noise.subarray(0, height * fields * width).every((v) => v > -1 && v < 1)).toBe(true);
  });

  it('keeps its buffers across batches, growing only for a larger batch', () => {
    const elastic = new ElasticDeformation();
    const internals = elastic as unknown as { displacement: Float32Array };
    elastic.apply(strokes(4), new Random(1));
    const buffer = internals.displacement;
    elastic.apply(strokes(4), new Random(2), Tensor.zeros([4, 784]));
    elastic.apply(strokes(2), new Random(3));
    expect(internals.displacement).toBe(buffer);
    elastic.apply(strokes(5), new Random(3));
    expect(internals.displacement).not.toBe(buffer);
  });

  it('checks alpha and sigma', () => {
    expect(() => new ElasticDeformation({ sigma: 0 })).toThrow(
      'ElasticDeformation: sigma must be a number in (0, 100], found 0',
    );
    expect(() => new ElasticDeformation({ alpha: -1 })).toThrow(/alpha must be a non-negative number/);
  });
});
