import type { FromWorker, ToWorker } from './worker-protocol.js';

/** The page's end of the training worker: typed messages each way. */
export class TrainingClient {
  private readonly worker: Worker;

  /**
   * Starts the worker. `onMessage` receives everything it sends; `onCrash` a failure of the worker itself (its script
   * did not load, or it threw outside a request), which leaves it unusable.
   */
  constructor(onMessage: (message: FromWorker) => void, onCrash: (message: string) => void) {
    // This exact form, `new Worker(new URL(…, import.meta.url), { type: 'module' })`, is what Vite bundles as a worker.
    this.worker = new Worker(new URL('./training-worker.ts', import.meta.url), { type: 'module' });
    this.worker.onmessage = (event: MessageEvent<FromWorker>) => onMessage(event.data);
    this.worker.onerror = (event) => {
      event.preventDefault();
      onCrash(event.message || 'the training worker failed to start');
    };
    this.send({ type: 'init', siteUrl: new URL('.', document.baseURI).href });
  }

  /** Sends a request to the worker. */
  send(message: ToWorker): void {
    this.worker.postMessage(message);
  }
}
