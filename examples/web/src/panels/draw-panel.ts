import { DrawPad } from '../draw/draw-pad.js';
import { toMnistFormat } from '../draw/mnist-format.js';
import type { DigitClassifier } from '../model/classifier.js';
import { paintDigit } from '../ui/digit-preview.js';
import { ProbabilityBars } from '../ui/probability-bars.js';

/** Performance marks the measurement script reads: the model is ready, and the first drawing is classified. */
export const MARKS = { modelReady: 'mnist:model-ready', firstPrediction: 'mnist:first-prediction' } as const;

/**
 * "Draw a digit": the pad, the 28×28 image made from the drawing, and the model's probabilities, updated live as the
 * pen moves (at most once per frame).
 */
export class DrawPanel {
  private readonly pad: DrawPad;
  private readonly bars: ProbabilityBars;
  private classifier: DigitClassifier | undefined;
  private classified = false;

  constructor(
    padCanvas: HTMLCanvasElement,
    private readonly preview: HTMLCanvasElement,
    barsElement: HTMLElement,
    clearButton: HTMLButtonElement,
  ) {
    this.pad = new DrawPad(padCanvas, () => this.classify());
    this.bars = new ProbabilityBars(barsElement);
    clearButton.addEventListener('click', () => this.pad.clear());
  }

  /** Classifies with this model from now on, starting with what is on the pad. */
  use(classifier: DigitClassifier): void {
    if (!this.classifier) performance.mark(MARKS.modelReady);
    this.classifier = classifier;
    this.classify();
  }

  /** Puts a 28×28 image (a test digit) on the pad in place of the drawing. */
  showImage(pixels: Uint8Array): void {
    this.pad.showImage(pixels);
  }

  private classify(): void {
    const { ink, width, height } = this.pad.ink();
    const image = toMnistFormat(ink, width, height);
    paintDigit(this.preview, image);
    if (!image || !this.classifier) {
      this.bars.show(undefined);
      return;
    }
    this.bars.show(this.classifier.classify(image));
    if (!this.classified) {
      this.classified = true;
      performance.mark(MARKS.firstPrediction);
    }
  }
}
