import { percent } from './format.js';

/**
 * A bar per digit with its probability, the most likely one highlighted. The container keeps the exact numbers in
 * `data-probabilities` (JSON) and the winner in `data-prediction`, for anyone who wants more than the bars show.
 */
export class ProbabilityBars {
  private readonly bars: HTMLElement[] = [];
  private readonly values: HTMLElement[] = [];

  constructor(private readonly container: HTMLElement) {
    container.replaceChildren();
    for (let digit = 0; digit < 10; digit++) {
      const row = document.createElement('div');
      row.className = 'bar-row';
      const label = document.createElement('span');
      label.className = 'bar-digit';
      label.textContent = String(digit);
      const track = document.createElement('span');
      track.className = 'bar-track';
      const bar = document.createElement('span');
      bar.className = 'bar';
      track.append(bar);
      const value = document.createElement('span');
      value.className = 'bar-value';
      row.append(label, track, value);
      container.append(row);
      this.bars.push(bar);
      this.values.push(value);
    }
    this.show(undefined);
  }

  /** Shows the probabilities of the ten digits, or empty bars when there is nothing to classify. */
  show(probabilities: Float32Array | undefined): void {
    let best = -1;
    if (probabilities) for (let d = 0; d < 10; d++) if (best < 0 || probabilities[d] > probabilities[best]) best = d;
    for (let d = 0; d < 10; d++) {
      const p = probabilities?.[d] ?? 0;
      this.bars[d].style.width = `${100 * p}%`;
      this.bars[d].parentElement?.parentElement?.classList.toggle('best', d === best);
      this.values[d].textContent = probabilities ? percent(p, 1) : '';
    }
    if (probabilities) {
      this.container.dataset.probabilities = JSON.stringify(Array.from(probabilities));
      this.container.dataset.prediction = String(best);
      this.container.setAttribute('aria-label', `The model reads a ${best} (${percent(probabilities[best], 1)})`);
    } else {
      delete this.container.dataset.probabilities;
      delete this.container.dataset.prediction;
      this.container.setAttribute('aria-label', 'Nothing drawn yet');
    }
  }
}
