interface Port {
  onmessage: (() => void) | null;
  postMessage(message: unknown): void;
  close(): void;
}

interface Runtime {
  setImmediate?: (callback: () => void) => unknown;
  MessageChannel?: new () => { port1: Port; port2: Port };
  setTimeout: (callback: () => void, ms: number) => unknown;
}

/**
 * Lets pending I/O, timers and rendering run. `setImmediate` where it exists (Node.js), otherwise a `MessageChannel`
 * message (browsers), which unlike `setTimeout(0)` is not clamped to 4 ms. @internal
 */
export function yieldToEventLoop(): Promise<void> {
  const runtime = globalThis as unknown as Runtime;
  const immediate = runtime.setImmediate;
  if (typeof immediate === 'function') return new Promise((resolve) => immediate(resolve));
  const Channel = runtime.MessageChannel;
  if (typeof Channel === 'function') {
    return new Promise((resolve) => {
      const channel = new Channel();
      channel.port1.onmessage = () => {
        channel.port1.close();
        resolve();
      };
      channel.port2.postMessage(undefined);
    });
  }
  return new Promise((resolve) => runtime.setTimeout(resolve, 0));
}
