import type { BatchLogs, Callback, EpochLogs } from '@mnist/nn';

/** Where progress goes: a terminal gets a redrawn bar, anything else plain lines. */
export interface ProgressSink {
  /** Whether the output is an interactive terminal. */
  readonly isTTY: boolean;
  /** Writes text as is. */
  write(text: string): void;
}

/**
 * A progress bar per epoch: batches done, examples per second, running loss and accuracy, time left. In a terminal it
 * redraws one line at most ten times a second; elsewhere (CI logs, pipes) it prints a line per quarter epoch, so logs
 * stay readable.
 */
export class ProgressBar implements Callback {
  private epochStart = 0;
  private lastDraw = 0;
  private examples = 0;
  private lossSum = 0;
  private correct = 0;
  private nextQuarter = 1;

  constructor(
    private readonly sink: ProgressSink,
    private readonly epochs: number,
    private readonly batchesPerEpoch: number,
    private readonly onEpoch: (logs: EpochLogs) => string,
  ) {}

  onEpochBegin(): void {
    this.epochStart = performance.now();
    this.lastDraw = 0;
    this.examples = 0;
    this.lossSum = 0;
    this.correct = 0;
    this.nextQuarter = 1;
  }

  onBatchEnd(logs: BatchLogs): void {
    this.examples += logs.size;
    this.lossSum += logs.loss * logs.size;
    this.correct += logs.accuracy * logs.size;
    const done = logs.batch + 1;
    const now = performance.now();
    if (this.sink.isTTY) {
      if (now - this.lastDraw < 100 && done < this.batchesPerEpoch) return;
      this.lastDraw = now;
      this.sink.write(`\r${this.line(logs.epoch, done, now)}\u001b[K`);
    } else if (done >= (this.nextQuarter * this.batchesPerEpoch) / 4 && done < this.batchesPerEpoch) {
      this.nextQuarter++;
      this.sink.write(`${this.line(logs.epoch, done, now)}\n`);
    }
  }

  onEpochEnd(logs: EpochLogs): void {
    this.sink.write(`${this.sink.isTTY ? '\r\u001b[K' : ''}${this.onEpoch(logs)}\n`);
  }

  private line(epoch: number, done: number, now: number): string {
    const seconds = (now - this.epochStart) / 1000;
    const rate = this.examples / Math.max(seconds, 1e-9);
    const left = ((this.batchesPerEpoch - done) * seconds) / done;
    const width = 24;
    const filled = Math.round((width * done) / this.batchesPerEpoch);
    const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
    return (
      `epoch ${epoch + 1}/${this.epochs} ${bar} ${done}/${this.batchesPerEpoch} batches` +
      `  ${Math.round(rate).toLocaleString('en-US')} ex/s` +
      `  loss ${(this.lossSum / this.examples).toFixed(4)}` +
      `  acc ${((100 * this.correct) / this.examples).toFixed(2)}%` +
      `  ${left.toFixed(0)}s left`
    );
  }
}
