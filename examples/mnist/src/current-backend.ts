import { type Backend, getBackend } from '@mnist/tensor';
import { CliError } from './cli-error.js';

/** The environment variables through which `@mnist/tensor` lets a user choose the backend. */
const BACKEND_VARIABLES = ['MNIST_BACKEND', 'MNIST_THREADS', 'MNIST_RELAXED_SIMD'] as const;

/**
 * The backend the ops will run on, chosen now rather than at the first op, so that a bad `MNIST_BACKEND`,
 * `MNIST_THREADS` or `MNIST_RELAXED_SIMD` fails before any data is loaded.
 * @throws {@link CliError} with `@mnist/tensor`'s message (which names the variable, what it accepts and what it holds)
 *   when one of them is set and the choice fails
 */
export function currentBackend(env: Record<string, string | undefined> = process.env): Backend {
  try {
    return getBackend();
  } catch (error) {
    // Choosing the default backend throws only for these variables; with neither set, something else broke.
    if (!BACKEND_VARIABLES.some((name) => env[name])) throw error;
    throw new CliError(error instanceof Error ? error.message : String(error), { cause: error });
  }
}

/** The backend variables that are set, as `MNIST_BACKEND=js`: the user's choice, which is not a fallback. */
export function backendVariables(env: Record<string, string | undefined> = process.env): string[] {
  return BACKEND_VARIABLES.filter((name) => env[name]).map((name) => `${name}=${env[name]}`);
}
