import type { Shape } from './shape.js';

/** Formats a shape the way error messages print it: `[64, 784]`. */
export function formatShape(shape: Shape): string {
  return `[${shape.join(', ')}]`;
}
