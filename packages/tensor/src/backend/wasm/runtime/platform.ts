// Timers and base64 exist in every engine this package supports (Node.js ≥ 20, current browsers) but are declared only
// by the DOM and Node.js type definitions, which the package does not use; this file types the three it needs.
const scope = globalThis as unknown as {
  performance: { now(): number };
  setTimeout(callback: () => void, ms: number): unknown;
  atob(text: string): string;
};

/** Milliseconds from a monotonic clock. */
export const now = (): number => scope.performance.now();

/** Resolves after `ms` milliseconds. */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => scope.setTimeout(resolve, ms));

/** Decodes base64 text into bytes. */
export function decodeBase64(text: string): Uint8Array {
  const binary = scope.atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
