import type { Io } from './io.js';

/** An {@link Io} for tests: nothing reaches the terminal, and `text()` returns everything written so far. */
export function captureIo(cwd: string): Io & { text(): string } {
  const chunks: string[] = [];
  return { isTTY: false, cwd, write: (text) => void chunks.push(text), text: () => chunks.join('') };
}
