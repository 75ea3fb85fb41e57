import { Random, Tensor } from '@mnist/tensor';
import { expect, it } from 'vitest';
import type { ImageAugmentation } from './image-augmentation.js';

/** A batch of `count` 28×28 images in [0, 1]: a seeded random blob on each, like a pen stroke. @internal */
export function strokes(count: number, seed = 1): Tensor {
  const rng = new Random(seed);
  const x = Tensor.zeros([count, 784]);
  for (let i = 0; i < count; i++) {
    const cx = 8 + rng.int(12);
    const cy = 8 + rng.int(12);
    for (let y = 0; y < 28; y++) {
      for (let x0 = 0; x0 < 28; x0++) {
        const d2 = (x0 - cx) ** 2 + ((y - cy) / 2) ** 2;
        x.data[i * 784 + y * 28 + x0] = Math.max(0, Math.min(1, 1.5 - d2 / 12));
      }
    }
  }
  return x;
}

/**
 * The properties every augmentation must have: shapes kept in every accepted layout, values in [0, 1], the same
 * output from the same seed, in place equal to out of place, and no new buffers once warmed up (the output is the
 * `out` given, and the scratch buffers stay the same objects). Test-only: it registers vitest cases. @internal
 */
export function augmentationContract(make: () => ImageAugmentation): void {
  it('keeps the shape in every layout and the values in [0, 1]', () => {
    const augmentation = make();
    const x = strokes(8);
    for (const shape of [
      [8, 784],
      [8, 28, 28],
      [8, 1, 28, 28],
    ]) {
      const y = augmentation.apply(x.reshape(shape), new Random(1));
      expect(y.shape).toEqual(shape);
      expect(y.data.every((v) => v >= 0 && v <= 1)).toBe(true);
      expect(y.data.some((v) => v > 0.5)).toBe(true);
    }
  });

  it('is reproducible by seed and differs between seeds', () => {
    const x = strokes(4);
    const a = make().apply(x, new Random(7));
    const b = make().apply(x, new Random(7));
    const c = make().apply(x, new Random(8));
    expect(a.equals(b)).toBe(true);
    expect(a.equals(c)).toBe(false);
  });

  it('works in place, into out, and moves every channel of an image together', () => {
    const x = strokes(3).reshape([3, 1, 28, 28]);
    const expected = make().apply(x, new Random(3));
    const inPlace = x.clone();
    expect(make().apply(inPlace, new Random(3), inPlace)).toBe(inPlace);
    expect(inPlace.equals(expected)).toBe(true);
    const out = Tensor.zeros([3, 1, 28, 28]);
    expect(make().apply(x, new Random(3), out)).toBe(out);
    expect(out.equals(expected)).toBe(true);

    const twoChannels = Tensor.zeros([3, 2, 28, 28]);
    for (let i = 0; i < 3; i++) {
      twoChannels.data.set(x.data.subarray(i * 784, (i + 1) * 784), i * 1568);
      twoChannels.data.set(x.data.subarray(i * 784, (i + 1) * 784), i * 1568 + 784);
    }
    const y = make().apply(twoChannels, new Random(3));
    for (let i = 0; i < 3; i++) {
      expect(y.data.subarray(i * 1568, i * 1568 + 784)).toEqual(y.data.subarray(i * 1568 + 784, (i + 1) * 1568));
    }
  });

  it('writes into out and keeps its scratch buffers once warmed up', () => {
    const augmentation = make();
    const x = strokes(4).reshape([4, 1, 28, 28]);
    const out = Tensor.zeros([4, 1, 28, 28]);
    expect(augmentation.apply(x, new Random(1), out)).toBe(out); // warm-up: the buffers for this size are made
    const buffers = scratchBuffers(augmentation);
    expect(buffers.length).toBeGreaterThan(0);
    for (let seed = 2; seed < 5; seed++) expect(augmentation.apply(x, new Random(seed), out)).toBe(out);
    expect(augmentation.apply(out, new Random(5), out)).toBe(out);
    expect(augmentation.apply(x.reshape([4, 784]), new Random(6), out.reshape([4, 784])).data).toBe(out.data);
    const now = scratchBuffers(augmentation);
    expect(now).toHaveLength(buffers.length);
    for (let i = 0; i < buffers.length; i++) expect(now[i], `scratch buffer ${i}`).toBe(buffers[i]);
  });

  it('rejects shapes it cannot read and a mismatched out', () => {
    const augmentation = make();
    expect(() => augmentation.apply(Tensor.zeros([2, 10]), new Random(1))).toThrow(/pass height and width/);
    expect(() => augmentation.apply(Tensor.zeros([10]), new Random(1))).toThrow(/images must be/);
    expect(() => augmentation.apply(Tensor.zeros([2, 784]), new Random(1), Tensor.zeros([2, 785]))).toThrow(
      /out must have shape/,
    );
  });
}

/**
 * The typed arrays an augmentation holds, in its own fields and one level down (its runner's), in field order: a
 * structural view of its scratch memory, to check that none is replaced once warmed up.
 */
function scratchBuffers(augmentation: ImageAugmentation): ArrayBufferView[] {
  const found: ArrayBufferView[] = [];
  for (const value of Object.values(augmentation)) {
    if (ArrayBuffer.isView(value)) found.push(value);
    else if (value !== null && typeof value === 'object' && !(value instanceof Tensor)) {
      for (const inner of Object.values(value)) if (ArrayBuffer.isView(inner)) found.push(inner);
    }
  }
  return found;
}
