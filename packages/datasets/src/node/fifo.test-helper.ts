import { execFileSync } from 'node:child_process';
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';

/** Whether this platform has FIFOs that `mkfifo` makes (not Windows). @internal */
export const hasFifos = process.platform !== 'win32';

/** Makes a FIFO (named pipe) at `path`, with neither reader nor writer. Test-only. @internal */
export function makeFifo(path: string): void {
  execFileSync('mkfifo', [path]);
}

/**
 * Opens a FIFO for reading and writing at once and closes it again, which lets any open of it that is waiting for a
 * reader or a writer go on. Tests call it when they end, so that code that does block on a FIFO fails its test by
 * timing out instead of keeping a thread of the test process waiting forever. Does nothing when `path` is gone.
 * Test-only. @internal
 */
export async function releaseFifo(path: string): Promise<void> {
  const handle = await open(path, constants.O_RDWR | constants.O_NONBLOCK).catch(() => undefined);
  await handle?.close();
}
