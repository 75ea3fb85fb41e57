import { isAbsolute, resolve } from 'node:path';
import type { ProgressSink } from './progress.js';

/** Where a command writes and how it resolves the paths it is given. */
export interface Io extends ProgressSink {
  /** The directory relative paths are resolved against: where the user ran `pnpm mnist`. */
  readonly cwd: string;
}

/** The user's view of a path: relative to the directory they ran the command from. */
export function resolvePath(io: Io, path: string): string {
  return isAbsolute(path) ? path : resolve(io.cwd, path);
}

/** The process's own terminal. `pnpm` runs scripts in the package directory and records the caller's in INIT_CWD. */
export function processIo(): Io {
  return {
    isTTY: process.stdout.isTTY === true,
    cwd: process.env.INIT_CWD ?? process.cwd(),
    write: (text) => process.stdout.write(text),
  };
}
