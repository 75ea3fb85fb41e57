/**
 * How a batch of `n` images of `height × width` is shaped as a tensor:
 * - `'flat'`: `[n, height·width]`, one row per image, for dense layers;
 * - `'image'`: `[n, 1, height, width]` (one channel), for convolutions.
 */
export type ImageLayout = 'flat' | 'image';

/** The tensor shape of `count` images in a layout. @internal */
export function layoutShape(layout: ImageLayout, count: number, height: number, width: number): number[] {
  if (layout === 'flat') return [count, height * width];
  if (layout === 'image') return [count, 1, height, width];
  throw new TypeError(`expected layout 'flat' or 'image', found ${String(layout)}`);
}
