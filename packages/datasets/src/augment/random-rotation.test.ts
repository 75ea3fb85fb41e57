import { Random, Tensor } from '@mnist/tensor';
import { describe, expect, it } from 'vitest';
import { augmentationContract, strokes } from './augmentation-contract.test-helper.js';
import { RandomRotation } from './random-rotation.js';

describe('RandomRotation', () => {
  augmentationContract(() => new RandomRotation({ maxDegrees: 15 }));

  it('is the identity at 0 degrees', () => {
    const x = strokes(2);
    expect(new RandomRotation({ maxDegrees: 0 }).apply(x, new Random(1)).equals(x)).toBe(true);
  });

  it('turns about the centre: a centred disc stays put, a bar turns', () => {
    // A vertical bar through the centre of a 29×29 image turned by up to 45° leaves the centre pixel lit.
    const x = Tensor.zeros([1, 29, 29]);
    for (let y = 4; y < 25; y++) x.set(1, 0, y, 14);
    const y = new RandomRotation({ maxDegrees: 45 }).apply(x, new Random(4));
    expect(y.get(0, 14, 14)).toBeCloseTo(1, 5);
    expect(y.equals(x)).toBe(false);
    // Mass is roughly kept (bilinear sampling spreads it, the border is far away).
    const mass = (t: Tensor) => t.data.reduce((s, v) => s + v, 0);
    expect(Math.abs(mass(y) - mass(x)) / mass(x)).toBeLessThan(0.1);
  });

  it('checks maxDegrees', () => {
    expect(() => new RandomRotation({ maxDegrees: -1 })).toThrow(/maxDegrees must be a non-negative number/);
  });
});
