import {
  formatShape,
  type PoolWindow,
  poolOutputShape,
  type Shape,
  ShapeError,
  shapesEqual,
  type Tensor,
} from '@mnist/tensor';
import { ConfigError } from '../config-error.js';
import { readConfig } from '../config-reader.js';
import type { LayerConfig } from '../layer.js';
import { LayerStateError } from '../layer.js';

/** Options of {@link MaxPool2D} and {@link AvgPool2D}. */
export interface Pool2DOptions {
  /** Step between windows, in both directions. Default: the pool size, so windows tile the image. */
  stride?: number;
  /** Padding added on each side, at most half the pool size. Default 0. */
  padding?: number;
}

/** What {@link MaxPool2D} and {@link AvgPool2D} share: the square window, its validation, config and output shape. */
export abstract class Pool2D {
  /** Side `k` of the square `k × k` window. */
  readonly poolSize: number;
  /** Step between windows. */
  readonly stride: number;
  /** Padding on each side. */
  readonly padding: number;
  /** The last forward input's shape. */
  protected inputShape: Shape | undefined;

  /**
   * @param layer - the layer's type, for messages
   * @param poolSize - side of the square window
   */
  constructor(layer: string, poolSize: number, options: Pool2DOptions) {
    const stride = options.stride ?? poolSize;
    const padding = options.padding ?? 0;
    for (const [name, value, min] of [
      ['poolSize', poolSize, 1],
      ['stride', stride, 1],
      ['padding', padding, 0],
    ] as const) {
      if (!Number.isSafeInteger(value) || value < min) {
        throw new RangeError(`${layer}: ${name} must be an integer ≥ ${min}, found ${value}`);
      }
    }
    if (2 * padding > poolSize) {
      throw new RangeError(`${layer}: padding must be at most half the pool size ${poolSize}, found ${padding}`);
    }
    this.poolSize = poolSize;
    this.stride = stride;
    this.padding = padding;
  }

  /** The window as the pooling ops take it. */
  protected get window(): PoolWindow {
    return { poolSize: this.poolSize, stride: this.stride, padding: this.padding };
  }

  /** `{ poolSize, stride, padding }`. */
  config(): LayerConfig {
    return { poolSize: this.poolSize, stride: this.stride, padding: this.padding };
  }

  /** `[batch, channels, outH, outW]` with `outH = ⌊(H + 2·padding − poolSize) / stride⌋ + 1`, likewise `outW`. */
  outputShape(inputShape: Shape): Shape {
    if (inputShape.length !== 4) {
      throw new ShapeError(
        this.type,
        `expects input [batch, channels, height, width], found ${formatShape(inputShape)}`,
      );
    }
    const [batch] = inputShape as [number];
    // The ops reject a batch of −1 ("any"), so ask for the shape of one example and put the batch back.
    const [, channels, outH, outW] = poolOutputShape([1, ...inputShape.slice(1)], this.window) as number[];
    return [batch, channels as number, outH as number, outW as number];
  }

  /** Returns the last input's shape after checking `dy` against the output it produced. */
  protected checkBackward(dy: Tensor): Shape {
    const inputShape = this.inputShape;
    if (!inputShape) throw new LayerStateError(this.type, 'backward called before forward');
    const expected = this.outputShape(inputShape);
    if (!shapesEqual(dy.shape, expected)) {
      throw new ShapeError(
        `${this.type}.backward`,
        `dy must be ${formatShape(expected)}, found ${formatShape(dy.shape)}`,
      );
    }
    return inputShape;
  }

  /** The model-file type of the layer, also naming it in messages. */
  abstract readonly type: string;
}

/** Reads `{ poolSize, stride, padding }` from a pooling layer's config, rejecting unknown fields. @internal */
export function readPoolConfig(layer: string, config: LayerConfig): [number, Pool2DOptions] {
  const read = readConfig(layer, config);
  const poolSize = read.integer('poolSize');
  const stride = read.integer('stride');
  const padding = read.integer('padding', 0);
  read.end();
  if (2 * padding > poolSize) {
    throw new ConfigError(layer, 'padding', `at most half the pool size ${poolSize}`, String(padding));
  }
  return [poolSize, { stride, padding }];
}
