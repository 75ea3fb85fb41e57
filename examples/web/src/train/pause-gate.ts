/**
 * Lets training be paused between batches: `fit` awaits a callback's promise, so a batch callback that returns
 * {@link PauseGate.wait} holds the loop while the worker keeps handling messages (resume, stop). Time spent paused is
 * counted, so speeds and time estimates leave it out.
 */
export class PauseGate {
  private release: (() => void) | undefined;
  private pending: Promise<void> | undefined;
  private pausedAt = 0;
  private pausedTotal = 0;

  /** Whether the next batch will wait. */
  get paused(): boolean {
    return this.pending !== undefined;
  }

  /** Milliseconds spent paused so far, the current pause included. */
  pausedMs(now = performance.now()): number {
    return this.pausedTotal + (this.pending ? now - this.pausedAt : 0);
  }

  /** Holds the next batch until {@link PauseGate.resume}. */
  pause(): void {
    if (this.pending) return;
    this.pausedAt = performance.now();
    this.pending = new Promise((resolve) => {
      this.release = resolve;
    });
  }

  /** Lets training go on. */
  resume(): void {
    if (!this.pending) return;
    this.pausedTotal += performance.now() - this.pausedAt;
    this.release?.();
    this.pending = undefined;
    this.release = undefined;
  }

  /** A promise to await before the next batch while paused; `undefined` while running, so nothing waits. */
  wait(): Promise<void> | undefined {
    return this.pending;
  }
}
