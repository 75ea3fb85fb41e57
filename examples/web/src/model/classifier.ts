import type { ImageLayout } from '@mnist/datasets';
import type { Sequential } from '@mnist/nn';
import { Tensor } from '@mnist/tensor';
import { inputLayoutOf } from './input-layout.js';

/** A model ready to classify one 28×28 image at a time. */
export class DigitClassifier {
  /** How the model takes its images. */
  readonly layout: ImageLayout;
  private readonly input: Tensor;

  /** @throws `IncompatibleModelError` when the model cannot classify 28×28 images into 10 digits */
  constructor(readonly model: Sequential) {
    this.layout = inputLayoutOf(model);
    this.input = Tensor.zeros(this.layout === 'image' ? [1, 1, 28, 28] : [1, 784]);
  }

  /**
   * The probability of each digit for one image of 784 grey levels in `[0, 255]` (MNIST's bytes), scaled to `[0, 1]`
   * as the training batches are.
   */
  classify(pixels: Uint8Array): Float32Array {
    const x = this.input.data;
    for (let i = 0; i < 784; i++) x[i] = pixels[i] / 255;
    return Float32Array.from(this.model.predict(this.input).data);
  }
}
