import { Random, Tensor } from '@mnist/tensor';
import { describe, expect, it } from 'vitest';
import { augmentationContract } from './augmentation-contract.test-helper.js';
import { RandomShift } from './random-shift.js';

describe('RandomShift', () => {
  augmentationContract(() => new RandomShift({ maxShift: 3 }));

  it('moves whole images by whole pixels within maxShift, filling with background', () => {
    // One bright pixel at (row 2, column 2) of a 5×5 image: after the shift it is somewhere within ±1.
    const x = Tensor.zeros([50, 25]);
    for (let i = 0; i < 50; i++) x.data[i * 25 + 12] = 1;
    const y = new RandomShift({ maxShift: 1 }).apply(x, new Random(1));
    const positions = new Set<number>();
    for (let i = 0; i < 50; i++) {
      const image = Array.from(y.data.subarray(i * 25, (i + 1) * 25));
      expect(image.filter((v) => v === 1)).toHaveLength(1);
      expect(image.filter((v) => v !== 0 && v !== 1)).toHaveLength(0);
      positions.add(image.indexOf(1));
    }
    expect([...positions].sort((a, b) => a - b)).toEqual([6, 7, 8, 11, 12, 13, 16, 17, 18]);
  });

  it('is the identity with maxShift 0 and reads non-square flat images with height and width', () => {
    const x = Tensor.from([0, 0.5, 1, 0.25, 0.75, 0.1], [1, 6]);
    expect(new RandomShift({ maxShift: 0, height: 2, width: 3 }).apply(x, new Random(1)).equals(x)).toBe(true);
    expect(() => new RandomShift({ maxShift: 1.5 })).toThrow(
      'RandomShift: maxShift must be a non-negative integer, found 1.5',
    );
  });
});
