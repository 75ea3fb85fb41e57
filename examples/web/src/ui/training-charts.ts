import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

/** The shortest time between two redraws of a chart, in milliseconds. */
const REDRAW_MS = 250;

/** One chart: a metric per training batch (a thin line) and per epoch on the dev set (points joined by a line). */
class MetricChart {
  private readonly x: number[] = [];
  private readonly training: number[] = [];
  private readonly dev: (number | null)[] = [];
  private readonly plot: uPlot;
  private devCount = 0;
  private lastDev: number | undefined;
  private dirty = false;
  private lastDraw = 0;

  constructor(
    private readonly figure: HTMLElement,
    private readonly metric: 'loss' | 'accuracy',
  ) {
    this.plot = new uPlot(
      {
        width: Math.max(200, figure.clientWidth),
        height: 220,
        // Accuracy is always in [0, 1]; loss from 0 to its largest value so far (1 before there is any).
        scales: {
          x: { time: false },
          y: { range: metric === 'accuracy' ? [0, 1] : (_plot, _min, max) => [0, Number.isFinite(max) ? max : 1] },
        },
        axes: [{ label: 'epoch' }, { label: metric, size: 56 }],
        legend: { live: false },
        cursor: { drag: { x: false, y: false } },
        series: [
          { label: 'epoch' },
          { label: 'training (per batch)', stroke: '#6b9bd1', width: 1 },
          {
            label: 'dev (per epoch)',
            stroke: '#c4511c',
            width: 2,
            spanGaps: true,
            points: { show: true, size: 7, fill: '#c4511c' },
          },
        ],
      },
      [[], [], []],
      // Before the caption, so the caption reads under the chart.
      (plot, init) => {
        figure.prepend(plot.root);
        init();
      },
    );
    new ResizeObserver(() => this.plot.setSize({ width: Math.max(200, figure.clientWidth), height: 220 })).observe(
      figure,
    );
    this.changed();
  }

  /** Forgets every point, for a new run. */
  reset(): void {
    this.x.length = 0;
    this.training.length = 0;
    this.dev.length = 0;
    this.devCount = 0;
    this.lastDev = undefined;
    this.changed();
  }

  /** Adds training batches at their positions in epochs. */
  addBatches(position: Float64Array, values: Float64Array): void {
    for (let i = 0; i < position.length; i++) {
      this.x.push(position[i]);
      this.training.push(values[i]);
      this.dev.push(null);
    }
    this.changed();
  }

  /** Puts the dev value of the epoch that just ended on its last batch, where the epoch ends. */
  addDev(value: number): void {
    if (this.dev.length === 0) return;
    this.dev[this.dev.length - 1] = value;
    this.devCount++;
    this.lastDev = value;
    this.changed();
  }

  /**
   * Redraws in an animation frame, at most every {@link REDRAW_MS}, however many messages arrive: redrawing a chart is
   * the page's largest piece of work while training, and four times a second reads as live.
   */
  private changed(): void {
    // The counts of points received, at once: the drawing follows within REDRAW_MS.
    this.figure.dataset.trainingPoints = String(this.training.length);
    this.figure.dataset.devPoints = String(this.devCount);
    if (this.dirty) return;
    this.dirty = true;
    const wait = Math.max(0, this.lastDraw + REDRAW_MS - performance.now());
    setTimeout(
      () =>
        requestAnimationFrame(() => {
          this.dirty = false;
          this.lastDraw = performance.now();
          this.plot.setData([this.x, this.training, this.dev]);
          this.caption();
        }),
      wait,
    );
  }

  /** The chart's text: the latest values. */
  private caption(): void {
    const caption = this.figure.querySelector('figcaption');
    if (!caption) return;
    const show = (v: number) => (this.metric === 'accuracy' ? `${(100 * v).toFixed(1)}%` : v.toFixed(3));
    const last = this.training[this.training.length - 1];
    const dev = this.lastDev;
    caption.textContent =
      last === undefined
        ? `${this.metric}: no training yet`
        : `${this.metric}: ${show(last)} on the last batch` +
          (dev === undefined ? '' : `, ${show(dev)} on the dev set after epoch ${this.devCount}`);
  }
}

/** The loss and accuracy charts of a training run. */
export class TrainingCharts {
  private readonly loss: MetricChart;
  private readonly accuracy: MetricChart;

  constructor(lossFigure: HTMLElement, accuracyFigure: HTMLElement) {
    this.loss = new MetricChart(lossFigure, 'loss');
    this.accuracy = new MetricChart(accuracyFigure, 'accuracy');
  }

  /** Clears both charts for a new run. */
  reset(): void {
    this.loss.reset();
    this.accuracy.reset();
  }

  /** Adds a message's worth of training batches. */
  addBatches(position: Float64Array, loss: Float64Array, accuracy: Float64Array): void {
    this.loss.addBatches(position, loss);
    this.accuracy.addBatches(position, accuracy);
  }

  /** Adds an epoch's dev loss and accuracy. */
  addEpoch(loss: number, accuracy: number): void {
    this.loss.addDev(loss);
    this.accuracy.addDev(accuracy);
  }
}
