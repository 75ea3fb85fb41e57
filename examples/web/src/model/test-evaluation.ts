import { BatchLoader, type ImageDataset } from '@mnist/datasets';
import { ConfusionMatrix, type Sequential } from '@mnist/nn';
import { inputLayoutOf } from './input-layout.js';

/** A test image the model gets wrong. */
export interface Mistake {
  /** Its index in the test set. */
  index: number;
  /** The true digit. */
  label: number;
  /** The digit the model gave it. */
  predicted: number;
  /** The probability the model gave `predicted`. */
  confidence: number;
}

/** How a model does on the test set. */
export interface TestEvaluation {
  /** Test images evaluated. */
  count: number;
  accuracy: number;
  /** Mean cross-entropy, `−ln p(true digit)`. */
  loss: number;
  /** 10 × 10 counts, rows the true digit, columns the prediction (`ConfusionMatrix.counts`). */
  confusion: Int32Array;
  /** How many test images it gets wrong in all. */
  mistakeCount: number;
  /** The most confident mistakes, most confident first, at most `maxMistakes`. */
  mistakes: Mistake[];
  /** The mistakes' pixels, 784 bytes each, in the order of `mistakes`. */
  mistakeImages: Uint8Array;
}

/**
 * Classifies every test image, in batches gathered from the bytes (no float copy of the whole set), and counts the
 * confusion matrix and the mistakes. Works for any model that classifies 28×28 images, compiled or not.
 */
export function evaluateOnTest(model: Sequential, test: ImageDataset, maxMistakes = 96): TestEvaluation {
  const loader = new BatchLoader(test, { batchSize: 250, shuffle: false, layout: inputLayoutOf(model) });
  const confusion = new ConfusionMatrix(10);
  const wrong: Mistake[] = [];
  let lossSum = 0;
  for (const batch of loader.epoch()) {
    const p = model.predict(batch.x).data; // [size, 10]
    const predicted = new Int32Array(batch.size);
    for (let row = 0; row < batch.size; row++) {
      let best = 0;
      for (let c = 1; c < 10; c++) if (p[row * 10 + c] > p[row * 10 + best]) best = c;
      predicted[row] = best;
      const label = batch.y[row];
      // A softmax output can underflow to 0; clamped at 1e-30, as the library's cross-entropy kernel does.
      lossSum -= Math.log(Math.max(p[row * 10 + label], 1e-30));
      if (best !== label) {
        wrong.push({ index: batch.indices[row], label, predicted: best, confidence: p[row * 10 + best] });
      }
    }
    confusion.add(predicted, batch.y);
  }
  const mistakes = wrong.sort((a, b) => b.confidence - a.confidence || a.index - b.index).slice(0, maxMistakes);
  const mistakeImages = new Uint8Array(mistakes.length * 784);
  for (const [i, m] of mistakes.entries()) {
    mistakeImages.set(test.images.subarray(m.index * 784, (m.index + 1) * 784), i * 784);
  }
  return {
    count: test.length,
    accuracy: confusion.accuracy(),
    loss: lossSum / test.length,
    confusion: confusion.counts,
    mistakeCount: wrong.length,
    mistakes,
    mistakeImages,
  };
}
