import { describeUserError } from './describe-user-error.js';
import { mapStackPositions } from './source-positions.js';

/** What the process prints on stderr for an error that ended a command, and the exit code it ends with. */
export interface ErrorReport {
  /** The text for stderr, ending in a newline. */
  text: string;
  /** 2 for a mistake the user can fix, 1 for a bug. */
  exitCode: 1 | 2;
}

/**
 * Turns the error that ended a command into what the user sees. A mistake the user can fix is one line, with the stack
 * traces of it and its causes only under `--verbose`; anything else is a bug, printed with its stack trace so that it
 * can be reported.
 */
export function reportError(error: unknown, options: { verbose: boolean }): ErrorReport {
  const description = describeUserError(error);
  if (description === undefined) {
    return { text: `mnist: internal error, please report it: ${traces(error)}\n`, exitCode: 1 };
  }
  return { text: `mnist: ${description}\n${options.verbose ? `${traces(error)}\n` : ''}`, exitCode: 2 };
}

/** The stack trace of an error, then of each of its causes. */
function traces(error: unknown): string {
  const parts: string[] = [];
  // Bounded, in case a cause chain loops back on itself.
  for (let e: unknown = error, depth = 0; e !== undefined && depth < 10; depth++) {
    const text = e instanceof Error ? mapStackPositions(e.stack ?? `${e.name}: ${e.message}`) : String(e);
    parts.push(depth === 0 ? text : `caused by: ${text}`);
    e = e instanceof Error ? e.cause : undefined;
  }
  return parts.join('\n');
}
