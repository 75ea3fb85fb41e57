/** How far a run is and how fast it goes. */
export interface Progress {
  /** Training steps done, over all epochs. */
  done: number;
  /** Training steps in the whole run. */
  total: number;
  /** Images per second over the last few seconds of training, or `undefined` before there is enough to tell. */
  imagesPerSecond: number | undefined;
  /** Estimated seconds to the end, dev evaluations included, or `undefined` before there is a speed. */
  secondsLeft: number | undefined;
}

/** Seconds of history the speed is measured over: long enough to smooth batches, short enough to follow changes. */
const WINDOW_MS = 3000;

/**
 * Measures a run's speed and time left from the images trained and the training clock (milliseconds of training, with
 * pauses already taken out by the caller). Each dev evaluation's duration is measured too, and counted once per epoch
 * to come; before the first one ends it is estimated as a third of a training step per image, since a forward pass is
 * about a third of a step (forward, backward for the input and backward for the weights cost about the same).
 */
export class ProgressMeter {
  private readonly samples: [ms: number, images: number][] = [];
  private done = 0;
  private images = 0;
  private evaluationSeconds: number | undefined;

  constructor(
    private readonly batchCount: number,
    private readonly epochs: number,
    private readonly trainSize: number,
    private readonly devSize: number,
  ) {}

  /** Records a training step of `size` images ending at `ms` on the training clock. */
  step(size: number, ms: number): void {
    this.done++;
    this.images += size;
    this.samples.push([ms, this.images]);
    while (this.samples.length > 2 && ms - this.samples[0][0] > WINDOW_MS) this.samples.shift();
  }

  /** Records that an epoch's dev evaluation took `seconds`. */
  evaluated(seconds: number): void {
    this.evaluationSeconds = seconds;
  }

  /** Where the run stands now. */
  progress(): Progress {
    const total = this.batchCount * this.epochs;
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    const rate = first && last && last[0] > first[0] ? ((last[1] - first[1]) * 1000) / (last[0] - first[0]) : undefined;
    if (rate === undefined) return { done: this.done, total, imagesPerSecond: undefined, secondsLeft: undefined };
    const epochsLeft = this.epochs - Math.floor(this.done / this.batchCount);
    const imagesLeft = Math.max(0, this.epochs * this.trainSize - this.images);
    const evaluation = this.evaluationSeconds ?? this.devSize / (3 * rate);
    const secondsLeft = imagesLeft / rate + (this.done === total ? 0 : epochsLeft * evaluation);
    return { done: this.done, total, imagesPerSecond: rate, secondsLeft };
  }
}
