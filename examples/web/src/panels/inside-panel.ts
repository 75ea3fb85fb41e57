import type { Sequential } from '@mnist/nn';
import type { TestEvaluation } from '../model/test-evaluation.js';
import type { WeightSnapshot } from '../train/train-run.js';
import { renderConfusion } from '../ui/confusion-heatmap.js';
import { count, percent } from '../ui/format.js';
import { renderMistakes } from '../ui/mistake-gallery.js';
import { drawWeightImages } from '../ui/weight-images.js';

/** The elements of "Inside the model". */
export interface InsideElements {
  weights: HTMLCanvasElement;
  weightsCaption: HTMLElement;
  confusion: HTMLTableElement;
  confusionCaption: HTMLElement;
  mistakes: HTMLElement;
  mistakesCaption: HTMLElement;
}

/** "Inside the model": the first layer's weights, the confusion matrix and the test images the model gets wrong. */
export class InsidePanel {
  private pending: WeightSnapshot | undefined;

  constructor(
    private readonly elements: InsideElements,
    private readonly onChooseImage: (pixels: Uint8Array) => void,
  ) {}

  /** Draws a model's first-layer weights. */
  showModel(model: Sequential): void {
    const weight = model.params()[0]?.value;
    if (weight) this.showWeights({ shape: [...weight.shape], data: weight.data });
  }

  /** Draws first-layer weights (a snapshot from training), at most once per animation frame. */
  showWeights(snapshot: WeightSnapshot): void {
    const first = this.pending === undefined;
    this.pending = snapshot;
    if (!first) return;
    requestAnimationFrame(() => {
      const { shape, data } = this.pending as WeightSnapshot;
      this.pending = undefined;
      const what = drawWeightImages(this.elements.weights, shape, data);
      this.elements.weightsCaption.textContent = what
        ? `The first layer's weights: ${what}; red is positive, blue negative, each scaled to its largest weight.`
        : `This model's first layer (weight ${shape.join('×')}) has no picture.`;
    });
  }

  /** Says the evaluation of a new model is on its way. */
  evaluating(): void {
    this.elements.mistakesCaption.textContent = 'Classifying the 10 000 test images…';
    this.elements.confusionCaption.textContent = 'The confusion matrix on the 10 000 test images: being computed.';
  }

  /** Shows how the current model does on the test set. */
  showEvaluation(evaluation: TestEvaluation): void {
    const { elements } = this;
    renderConfusion(elements.confusion, evaluation.confusion);
    elements.confusionCaption.textContent =
      `The confusion matrix on the ${count(evaluation.count)} test images: ${percent(evaluation.accuracy)} right. ` +
      'Rows are the true digit, columns the model’s answer.';
    elements.confusion.dataset.accuracy = String(evaluation.accuracy);
    renderMistakes(elements.mistakes, evaluation.mistakes, evaluation.mistakeImages, this.onChooseImage);
    elements.mistakesCaption.textContent =
      evaluation.mistakeCount === 0
        ? 'None: every test image is right.'
        : `${count(evaluation.mistakeCount)} of ${count(evaluation.count)} are wrong; ` +
          `${evaluation.mistakes.length === evaluation.mistakeCount ? 'all' : `the ${evaluation.mistakes.length} most confident`} shown, true digit → answer. Choose one to see it on the pad.`;
  }
}
